#!/usr/bin/env python3
"""Judges a finished full lab (tests/vm/run --full --out DIR): reads DIR/dom0/out/<stage>/ as guest/full-stage
wrote it and the serial logs, prints one line per expectation (PASS/FAIL, so the log is the record of what held),
and exits 1 when one failed.

Expectations, in boot order:
  grub           grub-install and update-grub ran; grub.cfg has Debian's "with Xen hypervisor" entry
  before         booted through that entry (Xen's command line is GRUB's); the live report judged as in the quick
                 lab; plan and fix --apply --yes succeeded
  after-fix      verify: every step took effect; the generated domU started and xl pci-list shows the GPU and the
                 USB group (or, when the HVM guest could not start, a PV guest with the same pci list; both recorded);
                 rollback --yes succeeded
  after-rollback every file the fix touched (its journal) holds its original bytes again, and so does grub.cfg
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from judge_lab_report import GPU, USB_GROUP, Judge, judge_report, xen_boot_messages  # noqa: E402


class Stage:
    def __init__(self, out, name):
        self.dir = os.path.join(out, "dom0", "out", name)

    def text(self, name, default=None):
        try:
            with open(os.path.join(self.dir, name), encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return default

    def exit(self, name):
        value = self.text(name + ".exit")
        return int(value) if value and value.strip().lstrip("-").isdigit() else None


def hashes(stage):
    table = {}
    for line in (stage.text("files.sha256") or "").splitlines():
        digest, _, path = line.partition("  ")
        table[path] = digest
    return table


def report_rule_status(report_path, rule):
    """The status of one rule in a check.json report, or None when the report or the rule is missing."""
    try:
        with open(report_path, encoding="utf-8") as f:
            results = json.load(f).get("results", [])
    except (OSError, ValueError):
        return None
    return next((r.get("status") for r in results if r.get("rule") == rule), None)


def pci_list_holds(text):
    """xl pci-list prints "Vdev Device" rows; the device column is the host BDF."""
    held = {line.split()[-1] for line in (text or "").splitlines()[1:] if line.split()}
    return sorted(held)


def main():
    out = sys.argv[1]
    judge = Judge()
    lines = []

    def expect(condition, what):
        lines.append(f"{'PASS' if condition else 'FAIL'}: {what}")
        judge.expect(condition, what)

    grub = Stage(out, "grub")
    expect(grub.exit("grub-install") == 0, "grub-install /dev/vda succeeded")
    expect(grub.exit("update-grub") == 0, "update-grub succeeded")
    expect("with Xen hypervisor" in (grub.text("menuentries") or ""), "grub.cfg has a 'with Xen hypervisor' entry")

    before = Stage(out, "before")
    xen_info = before.text("xl-info") or ""
    expect("console=com1" in xen_info, "Xen was booted by GRUB's Xen entry (xl info shows GRUB_CMDLINE_XEN_DEFAULT)")
    expect("console=hvc0" in (before.text("cmdline") or ""),
           "dom0's command line is GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT's")
    serial = os.path.join(out, "serial-before.log")
    report_path = os.path.join(before.dir, "check.json")
    if os.path.exists(report_path) and os.path.exists(serial):
        with open(report_path, encoding="utf-8") as f:
            report = json.load(f)
        quick = Judge()
        judge_report(quick, report, xen_boot_messages(serial))
        for failure in quick.failures:
            expect(False, f"live report: {failure}")
        expect(not quick.failures, f"the live report of the Debian dom0 (verdict {report.get('verdict')})")
    else:
        expect(False, "the 'before' stage wrote check.json and the serial log exists")
    expect(before.exit("plan") == 0, "ptdoctor plan succeeded")
    if before.exit("fix") == 0:
        expect(True, "ptdoctor fix --apply --yes succeeded")
    else:
        # The only acceptable refusal: Xen can page no HVM guest (no HAP under TCG, no shadow paging in the build),
        # which no step can fix; then the lab applied with --force.
        refused = before.text("fix") or ""
        paging = xen_boot_messages(serial) if os.path.exists(serial) else {"hap": True, "shadow": True}
        expect(before.exit("fix") == 2 and "xen.hvm-paging" in refused and not (paging["hap"] or paging["shadow"])
               and refused.count("\n  - ") == 1,
               "ptdoctor fix --apply --yes refused only over xen.hvm-paging (Xen printed no HAP and no "
               f"SHADOW_PAGING): exit {before.exit('fix')}")
        expect(before.exit("fix-forced") == 0, "ptdoctor fix --apply --yes --force succeeded")

    after = Stage(out, "after-fix")
    verify = json.loads(after.text("verify.json") or "{}")
    checks = verify.get("checks", [])
    expect(len(checks) > 0, f"ptdoctor verify listed {len(checks)} checks")
    for check in checks:
        expect(check.get("status") == "ok", f"verify {check.get('id')}: {check.get('status')}: {check.get('message')}")
    want = sorted([GPU] + USB_GROUP)
    if after.exit("xl-create") == 0 and after.exit("xl-pci-list") == 0:
        held = pci_list_holds(after.text("xl-pci-list"))
        expect(held == want, f"the HVM guest holds {held} (xl pci-list), want {want}")
    else:
        failed = after.text("xl-create") if after.exit("xl-create") else after.text("xl-pci-list")
        lines.append(f"NOTE: the HVM guest did not hold the devices: {(failed or 'no output').strip()[-800:]}")
        # ptdoctor must have seen it coming: the check before the fix fails xen.hvm-paging when libxl refuses HVM.
        if "neither hap nor shadow paging available" in (failed or ""):
            expect(report_rule_status(report_path, "xen.hvm-paging") == "fail",
                   "ptdoctor check said beforehand that no HVM guest can start here (xen.hvm-paging fails)")
        expect(after.exit("xl-create-pv") == 0, "a PV guest with the same pci list started (xl create)")
        held = pci_list_holds(after.text("xl-pci-list-pv"))
        expect(held == want, f"the PV guest holds {held} (xl pci-list), want {want}")
    expect(after.exit("rollback") == 0, "ptdoctor rollback --yes succeeded")

    rolled = Stage(out, "after-rollback")
    original, now = hashes(before), hashes(rolled)
    expect(len(original) > 0 and len(now) > 0, "the bytes of /etc and /boot/grub were recorded before and after")
    journals = os.path.join(before.dir, "journal")
    entries = []
    for journal in sorted(os.listdir(journals)) if os.path.isdir(journals) else []:
        with open(os.path.join(journals, journal, "journal.json"), encoding="utf-8") as f:
            entries += json.load(f).get("entries", [])
    expect(len(entries) > 0, f"the fix journal lists {len(entries)} files")
    for entry in entries:
        path = entry["path"]
        if path in original:
            expect(now.get(path) == original[path], f"{path} is back to its original bytes")
        else:
            expect(path not in now, f"{path} (made by the fix) is gone again")
    expect(now.get("/boot/grub/grub.cfg") == original.get("/boot/grub/grub.cfg"),
           "/boot/grub/grub.cfg is back to its original bytes (after update-grub)")
    if original and now:
        written = {e["path"] for e in entries} | {"/boot/grub/grub.cfg"}
        others = sorted(p for p in original.keys() | now.keys() if original.get(p) != now.get(p) and p not in written)
        for path in others[:40]:
            lines.append(f"NOTE: {path} changed between the first Xen boot and the last (ptdoctor did not write it)")
        if len(others) > 40:
            lines.append(f"NOTE: ... and {len(others) - 40} more files changed")

    print("\n".join(lines))
    print(f"{'FAILED' if judge.failures else 'passed'}: full lab, {len(judge.failures)} expectations failed")
    return 1 if judge.failures else 0


if __name__ == "__main__":
    sys.exit(main())
