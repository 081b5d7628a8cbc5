#!/usr/bin/env python3
"""A large host for the benchmarks: 4,096 PCI functions (or 1,024 to 8,192), in one of two layouts.

Both: 64 root ports (00:01.0-00:08.7) each lead to a bus with 63 functions, 00.0 to 07.6 (64 + 64 * 63 = 4,096).
Config spaces are 4 KiB PCIe ones with FLR and ACS, as pci.py writes them; the per-function attributes no fact
reads (pci.py write_attributes) are left out. With --functions N (a multiple of 64
from 64 to 8,192) there are N / 64 root ports, so the cost per function can be compared.

--layout intx (the default, and the layout of every figure in docs/performance.md before the sriov one existed):
  8 multifunction virtio devices (slots 00-07) of 8 functions on each bus, one IOMMU group per slot (64 * 8 = 512),
  and no function has MSI or MSI-X, so every one signals on an INTx line: 16 + (slot + pin - 1) % 4, four lines
  for the whole host. Each function's pci.devices[].shares_irq_with then lists about a quarter of all the others,
  which makes the `facts` output quadratic in the number of functions (125 MB at 4,096). A real machine is
  unlikely to look like this: Linux scans only device 0 behind a PCIe root or downstream port
  (linux:drivers/pci/probe.c only_one_child; QEMU refuses the placement, hw/pci/pci.c "parent device only allows
  plugging into slot 0"), and virtio-pci enables MSI-X before it falls back to INTx
  (linux:drivers/virtio/virtio_pci_common.c vp_find_vqs). Kept because it is the worst case for the shared-line
  lists and the layout every earlier figure was measured on.
--layout sriov: what a host with thousands of functions is in practice, SR-IOV: each bus holds one Intel 82599
  physical function (8086:10fb, ixgbe, MSI-X enabled) at 00.0 and 62 of its virtual functions (8086:10ed,
  ixgbevf, MSI-X enabled) at 00.1-07.6, the routing IDs an ARI device gives them (ixgbe allows up to 63 VFs).
  The root ports have MSI, which pcieport enables. A VF has no INTx pin (linux:drivers/pci/probe.c pci_read_irq: "VFs are not allowed to use INTx"), and a driver
  that enabled MSI-X leaves INTx unused, so no function shares a line. VFs are not multifunction devices, so
  each function behind an ACS root port is its own IOMMU group (linux:drivers/iommu/iommu.c pci_device_group).
  Left out, because no fact reads them: the SR-IOV and ARI capabilities, the physfn/virtfn links, and the
  0xffff a VF's own Vendor ID register reads (libpci's sysfs method takes the IDs from the `vendor` and
  `device` files, which show the VF's).

Usage: make_big_host.py [--functions N] [--layout intx|sriov] OUT_DIR
"""
import pathlib
import shutil
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "fixtures"))

from hostgen.pci import ACS_FULL, ENDPOINT, MEM32, MEM64_PREF, ROOT_PORT, Fn, write_tree  # noqa: E402

LAYOUTS = ("intx", "sriov")


def root_port(port, msi):
    bdf = f"0000:00:{1 + port // 8:02x}.{port % 8}"
    return bdf, Fn(bdf, 0x8086, 0x1901, 0x060400, "pcieport", bridge_to=0x10 + port, pcie=ROOT_PORT, acs=ACS_FULL,
                   multifunction=port % 8 == 0, msi=msi)


def intx_bus(port, port_bdf):
    bus = 0x10 + port
    fns = []
    for index in range(63):
        slot, function = divmod(index, 8)
        fns.append(Fn(f"0000:{bus:02x}:{slot:02x}.{function}", 0x1af4, 0x1041 + function, 0x020000, "virtio-pci",
                      pcie=ENDPOINT, flr=True, multifunction=function == 0, parent=port_bdf,
                      bars=[(16 << 10, MEM64_PREF), (0, 0), (4096, MEM32)], reset_method="flr bus",
                      group=port * 8 + slot))
    return fns


def sriov_bus(port, port_bdf):
    bus = 0x10 + port
    # 82599 PF: BAR0 512 KiB and BAR4 16 KiB (MSI-X table), 64-bit; a VF: BAR0 and BAR3, 16 KiB each, 64-bit.
    fns = [Fn(f"0000:{bus:02x}:00.0", 0x8086, 0x10FB, 0x020000, "ixgbe", pcie=ENDPOINT, flr=True, msi=True,
              msix=True, parent=port_bdf, bars=[(512 << 10, MEM64_PREF), (0, 0), (0, 0), (0, 0),
                                                  (16 << 10, MEM64_PREF)], reset_method="flr bus", group=port * 63)]
    for vf in range(1, 63):
        fns.append(Fn(f"0000:{bus:02x}:{vf // 8:02x}.{vf % 8}", 0x8086, 0x10ED, 0x020000, "ixgbevf", pcie=ENDPOINT,
                      flr=True, msix=True, pin=0, parent=port_bdf,
                      bars=[(16 << 10, MEM64_PREF), (0, 0), (0, 0), (16 << 10, MEM64_PREF)], reset_method="flr",
                      group=port * 63 + vf))
    return fns


def functions(count, layout):
    fns = []
    for port in range(count // 64):
        # pcieport enables MSI-X or MSI for PME, AER and hotplug (linux:drivers/pci/pcie/portdrv.c
        # pcie_port_enable_irq_vec); the intx layout's ports have neither, as before.
        port_bdf, port_fn = root_port(port, msi=layout == "sriov")
        fns.append(port_fn)
        fns.extend(intx_bus(port, port_bdf) if layout == "intx" else sriov_bus(port, port_bdf))
    if layout == "sriov":
        # Root ports get their own groups after the endpoints'.
        for index, port in enumerate(fn for fn in fns if fn.bridge_to is not None):
            port.group = (count // 64) * 63 + index
    return fns


def main(argv):
    args = argv[1:]
    count, layout = 4096, "intx"
    while len(args) > 1 and args[0] in ("--functions", "--layout"):
        if args[0] == "--functions" and args[1].isdigit():
            count = int(args[1])
        elif args[0] == "--layout" and args[1] in LAYOUTS:
            layout = args[1]
        else:
            break
        args = args[2:]
    # Root ports sit in slots 01-1f of bus 00 and their buses from 0x10 up: at most 128 ports fit both.
    if len(args) != 1 or count % 64 or not 64 <= count <= 8192:
        print(__doc__, file=sys.stderr)
        return 64
    root = pathlib.Path(args[0])
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    fns = functions(count, layout)
    assert len(fns) == count
    # Without the attributes no fact reads (enable, modalias, uevent, resourceN, ...): they would double the files
    # and the generation time, and keep the tree every figure in docs/performance.md was measured on.
    write_tree(root, fns, groups=True, attributes=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
