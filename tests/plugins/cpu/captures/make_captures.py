#!/usr/bin/env python3
"""Writes the hand-built `cpuid -r` captures of this directory from the documented bit layout (see
tests/fixtures/hostgen/cpu.py). Run it again after changing that layout; the outputs are checked in so a reviewer
can read them. this-machine.txt is different: a real `cpuid -r` capture (CPU 0 only), see README.md.
"""
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "fixtures"))

from hostgen.cpu import (COFFEE_LAKE_I7_9700K, Cpu, HYPERVISOR, RYZEN_7_3700X, SVM, VMX,  # noqa: E402
                         cpuid_text)

EPYC_7763 = Cpu("AuthenticAMD", 0x19, 0x01, 1, "AMD EPYC 7763 64-Core Processor", ecx1=0xFED83203 | HYPERVISOR,
                edx1=0x178BFBFF, ecx_ext=0x75C237FF & ~SVM, max_basic=0x10, max_extended=0x80000020)
XEON_HVM_GUEST = Cpu("GenuineIntel", 6, 0x55, 7, "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz",
                     ecx1=(0x7FFEFBFF & ~VMX) | HYPERVISOR, edx1=0xBFEBFBFF, ecx_ext=0x00000121, max_basic=0x16)

CAPTURES = {
    "intel-vmx.txt": cpuid_text(COFFEE_LAKE_I7_9700K, comment="Core i7-9700K on bare metal: VMX set, no hypervisor"),
    "amd-svm.txt": cpuid_text(RYZEN_7_3700X, comment="Ryzen 7 3700X on bare metal: SVM set, no hypervisor"),
    "xen-hvm-guest.txt": cpuid_text(
        XEON_HVM_GUEST, hypervisors=[(0x40000000, 0x40000006, "Microsoft Hv"), (0x40000100, 0x40000105, "XenVMMXenVMM")],
        comment="Xen HVM guest with viridian=1: Hyper-V enlightenments at 0x40000000, Xen's own leaves moved\n"
                "to 0x40000100; VMX not offered to the guest (no nested virtualisation)"),
    "kvm-guest.txt": cpuid_text(
        EPYC_7763, hypervisors=[(0x40000000, 0x40000001, "KVMKVMKVM")],
        comment="KVM guest on an EPYC host: hypervisor bit, KVMKVMKVM signature, SVM hidden (no nested)"),
}


def main():
    for name, text in CAPTURES.items():
        (HERE / name).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
