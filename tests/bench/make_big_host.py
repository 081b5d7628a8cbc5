#!/usr/bin/env python3
"""A large host for the pci benchmark: 4,096 PCI functions and 512 IOMMU groups.

64 root ports (00:01.0-00:08.7) each lead to a bus with 8 multifunction devices of 8 functions (63 on every
bus, the last function left out so the total is 64 + 64 * 63 = 4,096); each device (slot) is one IOMMU group
(64 * 8 = 512). Config spaces are 4 KiB PCIe ones with FLR and ACS, as pci.py writes them.

Usage: make_big_host.py OUT_DIR
"""
import pathlib
import shutil
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "fixtures"))

from hostgen.pci import ACS_FULL, ENDPOINT, MEM32, MEM64_PREF, ROOT_PORT, Fn, write_tree  # noqa: E402


def functions():
    fns = []
    for port in range(64):
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
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 64
    root = pathlib.Path(argv[1])
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    fns = functions()
    assert len(fns) == 4096
    write_tree(root, fns, groups=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
