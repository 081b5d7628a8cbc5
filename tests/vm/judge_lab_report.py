#!/usr/bin/env python3
"""Judges what ptdoctor reported inside a real Xen dom0 booted by tests/vm/run.

The expectations come from outside ptdoctor: Xen's own boot messages in the serial log (its version, "I/O
virtualisation enabled", "Interrupt remapping enabled", "HVM: SVM enabled") and the PCI layout tests/vm/lib/qemu.sh
gave QEMU. A report passes when ptdoctor saw that machine as it is:

  - Xen running, with the version Xen printed; the DMAR table read under the name Xen gave it for dom0 (RMAD);
  - IOMMU and interrupt remapping on; HVM available, and no rule claiming VT-x/AMD-V is missing or disabled;
  - the ATI card (not the boot VGA) as the target, the EHCI with its three UHCI companions as the USB group;
  - every failing rule says why and how to fix it;
  - with --snapshot: judging the snapshot taken in that dom0 gives the live results (MSRs aside, which a snapshot
    cannot hold: docs/snapshots.md).

Usage:
  judge_lab_report.py --serial-log LOG --report check.json [--ptdoctor BIN --snapshot S.tar.gz]
  judge_lab_report.py --serial-log LOG --ptdoctor BIN --snapshot S.tar.gz      (judges the snapshot alone)
Exit 0 when every expectation holds, 1 otherwise (each failed one printed).
"""
import argparse
import json
import re
import subprocess
import sys

# tests/vm/lib/qemu.sh lays the machine out this way.
BOOT_VGA = "0000:00:02.0"
GPU = "0000:00:03.0"
EHCI = "0000:00:1d.7"
USB_GROUP = ["0000:00:1d.0", "0000:00:1d.1", "0000:00:1d.2", EHCI]

# Rules that must not fail on this machine: Xen runs with its IOMMU, interrupt remapping and HVM (SVM) on, and
# the layout is the one above. A fail of any of them is a false alarm.
MUST_NOT_FAIL = [
    "cpu.nested-guest", "cpu.hvm-visible", "cpu.vmx-firmware-enabled", "cpu.svm-firmware-enabled",
    "iommu.firmware-table", "iommu.dmar-intact", "iommu.dmar-interrupt-remapping",
    "xen.running", "xen.hvm", "xen.iommu-enabled", "xen.interrupt-remapping",
    "gpu.present", "gpu.target-chosen", "gpu.target-not-boot-gpu", "usb.companions-together", "usb.selection-valid",
]
# Product bugs the lab found that other parts of the project own: each is printed as KNOWN on every run instead of
# failing it, so the lab stays green while they are open. Remove an entry when its bug is fixed.
KNOWN_FAILS_WITHOUT_JUSTIFICATION = {}
# Facts read from /dev/cpu/*/msr: a snapshot holds no device files, so these are unknown offline.
MSR_FACTS = ("cpu.msr.", "cpu.virt.firmware_")


class Judge:
    def __init__(self):
        self.failures = []
        self.known_bugs = []

    def expect(self, condition, what):
        if not condition:
            self.failures.append(what)
        return condition

    def known(self, what):
        if what not in self.known_bugs:
            self.known_bugs.append(what)


def fact(facts, path):
    node = facts
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def xen_boot_messages(serial_log):
    """What Xen printed about itself while booting (the lines tagged "(XEN)")."""
    with open(serial_log, encoding="utf-8", errors="replace") as log:
        # SeaBIOS's screen-clearing escapes can precede Xen's first line on the same line of the log.
        lines = [line[line.index("(XEN)"):].rstrip("\r\n") for line in log if "(XEN)" in line]
    version = next((m.group(1) for line in lines
                    for m in [re.match(r"\(XEN\) Xen version (\S+) ", line)] if m), None)
    text = "\n".join(lines)
    return {
        "version": version,
        "iommu": "I/O virtualisation enabled" in text,
        "intremap": "Interrupt remapping enabled" in text,
        "svm": "HVM: SVM enabled" in text,
        # "(XEN) HVM: Hardware Assisted Paging (HAP) detected" / "... not detected" (TCG's SVM has no NPT), and the
        # build options on "(XEN)   Compiled-in support: ... SHADOW_PAGING ..." (absent in Debian's 4.17.7).
        "hap": "Hardware Assisted Paging (HAP) detected" in text,
        "shadow": any("Compiled-in support:" in line and "SHADOW_PAGING" in line.split() for line in lines),
    }


def judge_report(judge, report, xen):
    facts = report.get("facts", {})
    judge.expect(xen["version"] is not None, "the serial log has no '(XEN) Xen version' line")
    judge.expect(xen["iommu"] and xen["intremap"] and xen["svm"],
                 f"Xen did not enable IOMMU, interrupt remapping and SVM (serial log): {xen}")

    judge.expect(fact(facts, "xen.running") is True, f"xen.running is {fact(facts, 'xen.running')!r}")
    judge.expect(fact(facts, "xen.version") == xen["version"],
                 f"xen.version {fact(facts, 'xen.version')!r}, Xen printed {xen['version']!r}")
    judge.expect(fact(facts, "xen.iommu_enabled") is True, "xen.iommu_enabled is not true")
    judge.expect(fact(facts, "xen.intremap_enabled") is True, "xen.intremap_enabled is not true")
    judge.expect(fact(facts, "xen.hvm") is True, "xen.hvm is not true (Xen printed 'HVM: SVM enabled')")
    judge.expect(fact(facts, "kernel.xen_dom0") is True, "kernel.xen_dom0 is not true")

    source = fact(facts, "acpi.dmar.source") or ""
    judge.expect(source.endswith("/RMAD"), f"acpi.dmar.source is {source!r}, Xen renames DMAR to RMAD for dom0")
    judge.expect(fact(facts, "acpi.dmar.intr_remap") is True, "acpi.dmar.intr_remap is not true")

    judge.expect(fact(facts, "gpu.target") == GPU, f"gpu.target is {fact(facts, 'gpu.target')!r}, want {GPU}")
    candidates = {c.get("bdf"): c for c in fact(facts, "gpu.candidates") or []}
    judge.expect(candidates.get(GPU, {}).get("vendor_id") == "0x1002", f"{GPU} is not the ATI (1002) card")
    judge.expect(candidates.get(GPU, {}).get("boot_vga") is False, f"{GPU} should not be the boot VGA")
    judge.expect(candidates.get(BOOT_VGA, {}).get("boot_vga") is True, f"{BOOT_VGA} should be the boot VGA")

    judge.expect(sorted(fact(facts, "usb.selected") or []) == USB_GROUP,
                 f"usb.selected is {fact(facts, 'usb.selected')!r}, want {USB_GROUP}")
    controllers = {c.get("bdf"): c for c in fact(facts, "usb.controllers") or []}
    ehci = controllers.get(EHCI, {})
    judge.expect(ehci.get("type") == "ehci", f"{EHCI} is not seen as EHCI: {ehci.get('type')!r}")
    judge.expect(sorted(ehci.get("companions") or []) == USB_GROUP,
                 f"{EHCI} companions are {ehci.get('companions')!r}, want {USB_GROUP}")

    results = report.get("results", [])
    judge.expect(len(results) > 0, "the report has no results")
    statuses = {}
    for result in results:
        statuses.setdefault(result["rule"], []).append(result["status"])
        if result["status"] == "fail":
            fixes = [f.get("text", "").strip() for f in result.get("fixes", [])]
            justified = result.get("why", "").strip() != "" and any(fixes)
            if not justified and result["rule"] in KNOWN_FAILS_WITHOUT_JUSTIFICATION:
                judge.known(f"{result['rule']}: {KNOWN_FAILS_WITHOUT_JUSTIFICATION[result['rule']]}")
                continue
            judge.expect(result.get("why", "").strip() != "", f"{result['rule']} fails without a why")
            judge.expect(any(fixes), f"{result['rule']} fails without a fix")
    # The lab's Xen runs inside QEMU: said as a warning naming QEMU's TCG (raw CPUID in this dom0 reaches QEMU).
    nested = [r for r in results if r["rule"] == "cpu.xen-inside-another-hypervisor"]
    judge.expect(len(nested) == 1 and nested[0]["status"] == "fail" and nested[0].get("severity") == "warning"
                 and "QEMU TCG" in nested[0].get("message", ""),
                 f"cpu.xen-inside-another-hypervisor should warn that Xen runs inside QEMU TCG: {nested!r}")
    # TCG's SVM has no nested paging ("HVM: Hardware Assisted Paging (HAP) not detected"), and Debian 12's Xen 4.17.7
    # is built without shadow paging (4.17.5 had it): then this Xen can start no HVM guest, the full lab's HVM
    # `xl create` fails with libxl's "neither hap nor shadow paging available", and the report must say so, as a
    # blocker. What Xen printed while booting decides which way the rule must go.
    paging = [r for r in results if r["rule"] == "xen.hvm-paging"]
    want = "pass" if xen["hap"] or xen["shadow"] else "fail"
    judge.expect(len(paging) == 1 and paging[0]["status"] == want and paging[0].get("severity") == "blocker",
                 f"xen.hvm-paging should {want} (Xen printed HAP {xen['hap']}, shadow paging {xen['shadow']}): {paging!r}")
    judge.expect(fact(facts, "xen.hap") is xen["hap"] and fact(facts, "xen.shadow") is xen["shadow"],
                 f"xen.hap / xen.shadow are {fact(facts, 'xen.hap')!r} / {fact(facts, 'xen.shadow')!r}, Xen printed "
                 f"{xen['hap']} / {xen['shadow']}")
    for rule in MUST_NOT_FAIL:
        judge.expect(rule in statuses, f"rule {rule} is not in the report")
        judge.expect("fail" not in statuses.get(rule, []),
                     f"rule {rule} fails on a dom0 where Xen runs with IOMMU, interrupt remapping and HVM")


def check_snapshot(ptdoctor, snapshot):
    command = [ptdoctor, "check", "--snapshot", snapshot, "--gpu", GPU, "--usb", EHCI, "--format", "json"]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1, 2, 3):
        sys.exit(f"FAIL: {' '.join(command)} exited {run.returncode}:\n{run.stderr}")
    try:
        return json.loads(run.stdout)
    except json.JSONDecodeError as error:
        sys.exit(f"FAIL: {' '.join(command)} printed no JSON report ({error}):\n{run.stdout[:2000]}")


def compare_live_and_snapshot(judge, live, offline):
    judge.expect(offline.get("host", {}).get("source") == "snapshot", "the offline report's source is not snapshot")
    key = lambda r: (r["rule"], r.get("subject") or "")
    live_results = {key(r): r for r in live.get("results", [])}
    offline_results = {key(r): r for r in offline.get("results", [])}
    judge.expect(live_results.keys() == offline_results.keys(),
                 f"live and snapshot results differ in rules: {sorted(live_results.keys() ^ offline_results.keys())}")
    for item, result in live_results.items():
        other = offline_results.get(item)
        if other is None or other["status"] == result["status"]:
            continue
        msr_only = other["status"] == "unknown" and all(
            path.startswith(MSR_FACTS) for path, value in other.get("facts", {}).items() if value is None)
        judge.expect(msr_only, f"{item[0]} {item[1]}: live {result['status']} ({result['message']}), "
                               f"snapshot {other['status']} ({other['message']})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serial-log", required=True)
    parser.add_argument("--report", help="the live check --format json from the dom0")
    parser.add_argument("--snapshot", help="the snapshot taken in the dom0")
    parser.add_argument("--ptdoctor", help="the ptdoctor binary that judges the snapshot")
    args = parser.parse_args()
    if not args.report and not (args.snapshot and args.ptdoctor):
        parser.error("give --report, or --snapshot with --ptdoctor")

    judge = Judge()
    xen = xen_boot_messages(args.serial_log)
    live = None
    if args.report:
        with open(args.report, encoding="utf-8") as report:
            try:
                live = json.load(report)
            except json.JSONDecodeError as error:
                sys.exit(f"FAIL: {args.report} is not a JSON report: {error}")
        judge_report(judge, live, xen)
    if args.snapshot and args.ptdoctor:
        offline = check_snapshot(args.ptdoctor, args.snapshot)
        judge_report(judge, offline, xen)
        if live is not None:
            compare_live_and_snapshot(judge, live, offline)

    for bug in judge.known_bugs:
        print(f"KNOWN: {bug}")
    for failure in judge.failures:
        print(f"FAIL: {failure}")
    report = live or offline
    print(f"{'FAILED' if judge.failures else 'passed'}: Xen {xen['version']}, verdict {report.get('verdict')}, "
          f"{len(report.get('results', []))} results, {len(judge.failures)} expectations failed")
    return 1 if judge.failures else 0


if __name__ == "__main__":
    sys.exit(main())
