#!/usr/bin/env python3
"""A large host for the benchmarks: 4,096 PCI functions and 512 IOMMU groups (or 1,024 to 8,192 functions).

64 root ports (00:01.0-00:08.7) each lead to a bus with 8 multifunction devices of 8 functions (63 on every
bus, the last function left out so the total is 64 + 64 * 63 = 4,096); each device (slot) is one IOMMU group
(64 * 8 = 512). Config spaces are 4 KiB PCIe ones with FLR and ACS, as pci.py writes them. With --functions N
(a multiple of 64 from 64 to 8,192) there are N / 64 root ports, so the cost per function can be compared.

Usage: make_big_host.py [--functions N] OUT_DIR
"""
import pathlib
import shutil
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "fixtures"))

from hostgen.pci import ACS_FULL, ENDPOINT, MEM32, MEM64_PREF, ROOT_PORT, Fn, write_tree  # noqa: E402


def functions(count):
    fns = []
    for port in range(count // 64):
        port_bdf = f"0000:00:{1 + port // 8:02x}.{port % 8}"
        bus = 0x10 + port
        fns.append(Fn(port_bdf, 0x8086, 0x1901, 0x060400, "pcieport", bridge_to=bus, pcie=ROOT_PORT, acs=ACS_FULL,
                      multifunction=port % 8 == 0))
        for index in range(63):
            slot, function = divmod(index, 8)
            fns.append(Fn(f"0000:{bus:02x}:{slot:02x}.{function}", 0x1af4, 0x1041 + function, 0x020000, "virtio-pci",
                          pcie=ENDPOINT, flr=True, multifunction=function == 0, parent=port_bdf,
                          bars=[(16 << 10, MEM64_PREF), (0, 0), (4096, MEM32)], reset_method="flr bus",
                          group=port * 8 + slot))
    return fns


def main(argv):
    args = argv[1:]
    count = 4096
    if len(args) == 3 and args[0] == "--functions" and args[1].isdigit():
        count = int(args[1])
        args = args[2:]
    # Root ports sit in slots 01-1f of bus 00 and their buses from 0x10 up: at most 128 ports fit both.
    if len(args) != 1 or count % 64 or not 64 <= count <= 8192:
        print(__doc__, file=sys.stderr)
        return 64
    root = pathlib.Path(args[0])
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    fns = functions(count)
    assert len(fns) == count
    write_tree(root, fns, groups=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
