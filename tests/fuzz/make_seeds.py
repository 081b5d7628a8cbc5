#!/usr/bin/env python3
"""Writes the checked-in seed corpus of every fuzz target (corpus/<target>, see corpus/README.md).

Seeds: the files of the generated fixture hosts (BUILD/fixtures/hosts), the repository's rule files and parts
lists, the few real captures copied into corpus/ (kept as they are, provenance in corpus/README.md), and hand-made
edge cases (the ACPI ones built with the same helpers as the fixtures). Usage: make_seeds.py FIXTURE_HOSTS_DIR
"""
import hashlib
import io
import pathlib
import re
import struct
import sys
import tarfile
import zlib

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "fixtures"))
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


def host_files(hosts: pathlib.Path, pattern: str) -> dict:
    """Each distinct file matching the pattern across the fixture hosts, named after the first host holding it."""
    found, seen = {}, set()
    for path in sorted(hosts.glob("*/" + pattern)):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen or not path.is_file():
            continue
        seen.add(digest)
        found[path.relative_to(hosts).parts[0] + "-" + path.name] = data
    return found


def rule_seeds(repo: pathlib.Path) -> dict:
    """One seed per rule (its file's header plus that rule): small inputs that still reach every field parser."""
    found = {}
    for path in sorted((repo / "rules").glob("*.yaml")):
        text = path.read_text()
        head, _, body = text.partition("\nrules:\n")
        if not body:
            found[path.stem + ".yaml"] = text.encode()
            continue
        for number, rule in enumerate(re.split(r"\n(?=  - id:)", body)):
            found[f"{path.stem}-{number:02}.yaml"] = (head + "\nrules:\n" + rule.strip("\n") + "\n").encode()
    return found


def varint(data: bytes, at: int) -> tuple:
    """A LEB128 number at `at` and where the next value starts."""
    value, shift = 0, 0
    while True:
        byte = data[at]
        value, shift, at = value | (byte & 0x7F) << shift, shift + 7, at + 1
        if byte < 0x80:
            return value, at


def rule_cache_seeds(cache: pathlib.Path) -> dict:
    """The build's compiled rule cache (core/rules/rule_cache.hpp has the layout) as rule_cache seeds: its payload
    after the version string (first byte 0) and each file's entry (1). The whole file (2) would only repeat them
    behind a checksum the fuzzer cannot keep."""
    if not cache.is_file():
        return {}
    whole = cache.read_bytes()
    payload = whole[28:]
    version_size, at = varint(payload, 0)
    found = {"payload.bin": b"\x00" + payload[at + version_size:]}
    files, at = varint(payload, at + version_size)
    sizes = []
    for _ in range(files):
        _, at = varint(payload, at)
        size, at = varint(payload, at + 8)
        sizes.append(size)
    for number, size in enumerate(sizes):
        found[f"entry-{number:02}.bin"] = b"\x01" + payload[at:at + size]
        at += size
    return found


def quirk_cache_seeds(cache: pathlib.Path) -> dict:
    """The build's compiled quirk list (plugins/gpu/quirk_cache.hpp has the layout) as quirk_cache seeds: the list
    after the header and the YAML's length and hash (first byte 0). The whole file (1) would only repeat it behind
    a checksum and a key the fuzzer cannot keep."""
    if not cache.is_file():
        return {}
    payload = cache.read_bytes()[28:]
    _, at = varint(payload, 0)
    return {"list.bin": b"\x00" + payload[at + 8:]}


def gunzip_prefix(data: bytes) -> bytes:
    """What decodes before the first error (one fixture's config.gz has a corrupt tail on purpose)."""
    decoder, out = zlib.decompressobj(31), b""
    for offset in range(0, len(data), 64):
        try:
            out += decoder.decompress(data[offset:offset + 64])
        except zlib.error:
            break
    return out


def tar_seed(members: dict, compress: bool = True) -> bytes:
    """A snapshot-like archive: regular files, a directory, a symlink inside the root."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz" if compress else "w", format=tarfile.PAX_FORMAT) as tar:
        for name, value in members.items():
            info = tarfile.TarInfo(name)
            info.mtime = 0
            if isinstance(value, tuple):  # ("link", target) or ("dir",)
                if value[0] == "link":
                    info.type, info.linkname = tarfile.SYMTYPE, value[1]
                else:
                    info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            else:
                info.size = len(value)
                tar.addfile(info, io.BytesIO(value))
    return buffer.getvalue()


def text_seeds(hosts: pathlib.Path) -> dict:
    seeds = {}

    def add(target: str, files: dict, prefix: bytes = b""):
        for name, data in files.items():
            seeds[f"{target}/{name}"] = prefix + data

    add("kconfig", host_files(hosts, "boot/config-*"))
    add("kconfig", {k + ".unzipped": gunzip_prefix(v) for k, v in host_files(hosts, "proc/config.gz").items()})
    add("config_gz", host_files(hosts, "proc/config.gz"))
    # cmdline: the first byte picks the options; 3 = Linux (/proc/cmdline), 0 = Xen's command line.
    add("cmdline", host_files(hosts, "proc/cmdline"), b"\x03")
    for name, data in host_files(hosts, ".ptdoctor/capture/xl-info.txt").items():
        for line in data.decode().splitlines():
            if line.startswith("xen_commandline"):
                seeds[f"cmdline/{name}.xen"] = b"\x00" + line.partition(":")[2].strip().encode()
    seeds["cmdline/hide-list"] = b"\x03xen-pciback.hide=(0000:08:00.0)(08:00.1)(00:1a.*) quiet -- single"
    add("modprobe", host_files(hosts, "etc/modprobe.d/*"))
    add("modprobe", host_files(hosts, "etc/modules"))
    add("grub_default", host_files(hosts, "etc/default/grub"))
    add("xl_info", host_files(hosts, ".ptdoctor/capture/xl-info.txt"))
    add("xl_dmesg", host_files(hosts, ".ptdoctor/capture/xl-dmesg.txt"))
    add("xl_assignable", host_files(hosts, ".ptdoctor/capture/xl-pci-assignable-list.txt"))
    add("cpuinfo", host_files(hosts, "proc/cpuinfo"))
    add("cpuid_capture", host_files(hosts, ".ptdoctor/capture/cpuid.txt"))
    # rule_yaml: the first byte says whether the file was found in a directory (1) or named alone (0).
    add("rule_yaml", rule_seeds(HERE.parents[1]), b"\x00")
    add("rule_cache", rule_cache_seeds(hosts.parents[1] / "stage/share/ptdoctor/rules/rules.cache"))
    add("quirk_cache", quirk_cache_seeds(hosts.parents[1] / "stage/share/ptdoctor/rules/gpu-quirks.cache"))
    add("parts_list", {p.name: p.read_bytes() for p in sorted((HERE.parent / "spec/parts").glob("*.yaml"))})
    add("domu_config", host_files(hosts, "etc/xen/*.cfg"))
    add("domu_config", host_files(hosts, "etc/xen/win"))
    add("domu_config", host_files(hosts, "etc/xen/xlexample.hvm"))
    tree = {
        ".ptdoctor": ("dir",),
        ".ptdoctor/manifest.json": b'{"format": 1, "tool": "ptdoctor"}\n',
        "proc/cmdline": (hosts / "guide-ich10/proc/cmdline").read_bytes(),
        "etc/default/grub": (hosts / "guide-ich10/etc/default/grub").read_bytes(),
        "sys/bus/pci/devices/0000:00:00.0": ("link", "../../../devices/pci0000:00/0000:00:00.0"),
        "sys/devices/pci0000:00/0000:00:00.0/vendor": b"0x8086\n",
    }
    seeds["snapshot/small.tar.gz"] = tar_seed(tree)
    seeds["snapshot/small.tar"] = tar_seed(tree, compress=False)
    seeds["snapshot/escaping-link.tar.gz"] = tar_seed({"etc": ("dir",), "etc/evil": ("link", "../../../tmp")})
    return seeds


def main(argv):
    hosts = pathlib.Path(argv[1])
    seeds = text_seeds(hosts)
    seeds |= {
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
        path = HERE / "corpus" / name.replace(":", "_")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
