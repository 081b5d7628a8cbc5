#!/usr/bin/env python3
"""Print the Debian mirror this machine's apt is configured with (the URI serving the given suite).

Reads /etc/apt/sources.list and /etc/apt/sources.list.d/*.list (one-line format) and *.sources (deb822), so the
package test bootstraps from the same source the machine already trusts instead of a hard-coded mirror.
Usage: apt_mirror.py [SUITE] [APT_ETC_DIR]   (defaults: bookworm, /etc/apt)
"""
import pathlib
import sys


def one_line_entries(text):
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) < 3 or words[0] != "deb":
            continue
        words = [w for w in words[1:] if not w.startswith("[")]  # drop "[signed-by=...]" options
        if len(words) >= 2:
            yield words[0], [words[1]]


def deb822_entries(text):
    for stanza in text.split("\n\n"):
        fields = {}
        for line in stanza.splitlines():
            if line.startswith("#") or ":" not in line or line[:1].isspace():
                continue
            key, value = line.split(":", 1)
            fields[key.strip().lower()] = value.split()
        if "deb" in fields.get("types", []) and fields.get("enabled", ["yes"]) != ["no"]:
            for uri in fields.get("uris", []):
                yield uri, fields.get("suites", [])


def mirror(suite, etc):
    etc = pathlib.Path(etc)
    files = [etc / "sources.list"] + sorted((etc / "sources.list.d").glob("*"))
    for path in files:
        if not path.is_file():
            continue
        text = path.read_text(errors="replace")
        entries = deb822_entries(text) if path.suffix == ".sources" else (
            one_line_entries(text) if path.suffix == ".list" or path.name == "sources.list" else [])
        for uri, suites in entries:
            if suite in suites:
                return uri
    return None


if __name__ == "__main__":
    suite = sys.argv[1] if len(sys.argv) > 1 else "bookworm"
    found = mirror(suite, sys.argv[2] if len(sys.argv) > 2 else "/etc/apt")
    if not found:
        sys.exit(f"apt_mirror: no apt source serves {suite!r}")
    print(found)
