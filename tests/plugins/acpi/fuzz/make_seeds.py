#!/usr/bin/env python3
"""Writes the checked-in seed corpus for the DMAR and IVRS fuzz targets (corpus/dmar, corpus/ivrs).

Seeds: the fixture tables (generated hosts under BUILD/fixtures/hosts) and hand-made edge cases built with the
same helpers as the fixtures. Usage: make_seeds.py FIXTURE_HOSTS_DIR
"""
import pathlib
import struct
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "fixtures"))
from hostgen.acpi import broken_dmar, garbage_ivrs, satc, scope, with_checksum  # noqa: E402


def dmar(*structures: bytes, flags: int = 1) -> bytes:
    header = b"DMAR" + struct.pack("<IBB", 0, 1, 0) + b"PTDOCTFUZZSEED\x01\x00\x00\x00INTL\x01\x00\x00\x00"
    return with_checksum(header + bytes([0x26, flags]) + bytes(10) + b"".join(structures))


def bad_checksum(table: bytes) -> bytes:
    return table[:9] + bytes([table[9] ^ 0xFF]) + table[10:]


def drhd(flags, segment, base, scopes=b""):
    return struct.pack("<HHBBHQ", 0, 16 + len(scopes), flags, 0, segment, base) + scopes


def rmrr(base, limit, scopes=b""):
    return struct.pack("<HHHHQQ", 1, 24 + len(scopes), 0, 0, base, limit) + scopes


def ivrs(*blocks: bytes, revision: int = 2) -> bytes:
    header = b"IVRS" + struct.pack("<IBB", 0, revision, 0) + b"PTDOCTFUZZSEED\x01\x00\x00\x00INTL\x01\x00\x00\x00"
    return with_checksum(header + struct.pack("<IQ", 0x00203041, 0) + b"".join(blocks))


def ivhd11(entries: bytes) -> bytes:
    return struct.pack("<BBHHHQHHIQQ", 0x11, 0x30, 40 + len(entries), 2, 0x40, 0xFD200000, 0, 0, 0, 0, 0) + entries


def main(argv):
    hosts = pathlib.Path(argv[1])
    seeds = {
        "dmar/guide-ich10.bin": (hosts / "guide-ich10/sys/firmware/acpi/tables/RMAD").read_bytes(),
        "dmar/intel-modern.bin": (hosts / "intel-modern/sys/firmware/acpi/tables/DMAR").read_bytes(),
        "dmar/server-multi-drhd.bin": (hosts / "server-multi-drhd/sys/firmware/acpi/tables/DMAR").read_bytes(),
        "dmar/broken-truncated.bin": broken_dmar(),
        "dmar/bad-checksum.bin": bad_checksum(dmar(drhd(1, 0, 0xFED90000))),
        "dmar/zero-length.bin": dmar(drhd(1, 0, 0xFED90000), struct.pack("<HH", 1, 0)),
        "dmar/scope-overflow.bin": dmar(drhd(0, 0, 0xFED90000, bytes([1, 0x40, 0, 0, 0, 0, 2, 0]))),
        "dmar/validation.bin": dmar(drhd(1, 0, 0xFED90800), drhd(1, 0, 0), rmrr(0x2000, 0x1000),
                                    rmrr(0x10000, 0x1FFFF), rmrr(0x18000, 0x20FFF),
                                    satc(1, 0, scope(1, 0, [(3, 0), (0, 0)])), struct.pack("<HH", 9, 8) + bytes(4)),
        "dmar/short.bin": b"DMAR\x30\x00\x00\x00",
        "ivrs/amd-desktop.bin": (hosts / "amd-desktop/sys/firmware/acpi/tables/IVRS").read_bytes(),
        "ivrs/garbage.bin": garbage_ivrs(),
        "ivrs/entries.bin": ivrs(ivhd11(
            bytes([0x42, 0, 1, 0, 0, 0xA4, 0, 0]) + bytes([0x43, 0, 0xFF, 0, 0, 0xA5, 0, 0]) + bytes([4, 0xFF, 0xFF, 0])
            + bytes([0x46, 0, 2, 0, 0, 0, 0, 0x80]) + bytes([0x47, 0, 3, 0, 1, 0, 0, 0]) + bytes([4, 0xFF, 3, 0])
            + bytes([0xF0, 0xA5, 0, 0x40]) + b"AMDI0020" + bytes(8) + bytes([2, 9]) + b"\\_SB.FUR0"
            + bytes([0x48, 0, 0, 0xD7, 0x21, 0xA0, 0, 1]))),
        "ivrs/ivmd-and-unknown.bin": ivrs(
            struct.pack("<BBHHHQQQ", 0x22, 7, 32, 0x100, 0x1FF, 0, 0xDE000000, 0x3000),
            struct.pack("<BBHHH", 0x30, 0, 12, 0, 0) + bytes(4), struct.pack("<BBHHH", 0x21, 7, 0, 0, 0), revision=3),
    }
    for name, data in seeds.items():
        path = HERE / "corpus" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
