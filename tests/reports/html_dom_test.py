#!/usr/bin/env python3
"""Renders the HTML report of each fixture host in headless Chromium and checks the DOM Chromium built.

For every host: `ptdoctor check --format html`, then `chromium --headless --dump-dom`, and on the DOM the browser
parsed: the verdict matches the embedded JSON report; the SVG picture has one row (g.device) per PCI function of
the JSON facts; the target GPU's functions and only they are outlined; the grouping is IOMMU groups when the facts
have them; a function with a failed blocker about it is coloured "blocked"; no element loads anything.

Usage: html_dom_test.py PTDOCTOR FIXTURE_HOSTS_DIR [--screenshots DIR] [HOST ...]
With --screenshots (or PTDOCTOR_SCREENSHOTS=DIR), also keeps DIR/HOST.png, the page as Chromium draws it.
Exit status: 0 all hosts pass, 1 a check failed or chromium is not installed.
"""
import argparse
import html.parser
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

HOSTS = ["guide-ich10", "intel-modern", "amd-desktop", "server-multi-drhd", "dual-gpu", "xhci-only",
         "ehci-keyboard", "broken", "empty"]


class Dom(html.parser.HTMLParser):
    """The elements of the dumped DOM with their attributes, and the text of the embedded JSON report."""

    def __init__(self):
        super().__init__()
        self.elements = []
        self.json_text = None
        self._in_json = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        self._in_json = tag == "script" and attributes.get("id") == "ptdoctor-report"
        if self._in_json:
            self.json_text = ""

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json = False

    def handle_data(self, data):
        if self._in_json:
            self.json_text += data

    def find(self, tag=None, **wanted):
        return [attrs for name, attrs in self.elements
                if (tag is None or name == tag) and all(attrs.get(k.replace("_", "-")) == v for k, v in wanted.items())]

    def with_class(self, css_class):
        return [attrs for _, attrs in self.elements if css_class in (attrs.get("class") or "").split()]


def chromium(args, workdir):
    command = [shutil.which("chromium"), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               f"--user-data-dir={workdir}/profile"] + args
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def full(bdf):
    return bdf if bdf.count(":") == 2 else "0000:" + bdf


def check_host(ptdoctor, fixtures, host, workdir, screenshots):
    problems = []
    page = pathlib.Path(workdir) / f"{host}.html"
    run = subprocess.run([ptdoctor, "check", "--root", str(pathlib.Path(fixtures) / host), "--format", "html",
                          "-o", str(page)], capture_output=True, text=True, timeout=120)
    if run.returncode not in (0, 1, 2, 3):
        return [f"ptdoctor check exited {run.returncode}: {run.stderr.strip()}"]
    dumped = chromium(["--dump-dom", page.as_uri()], workdir)
    if dumped.returncode != 0 or "<html" not in dumped.stdout:
        return [f"chromium could not render the page: {dumped.stderr.strip()[-500:]}"]
    dom = Dom()
    dom.feed(dumped.stdout)
    report = json.loads(dom.json_text or "null")
    if not isinstance(report, dict):
        return ["no embedded JSON report in the rendered DOM"]

    verdicts = dom.find(id="verdict")
    if not verdicts or verdicts[0].get("data-verdict") != report["verdict"]:
        problems.append(f"verdict element {verdicts} does not say {report['verdict']}")
    if report["causes"] and not dom.find(id="first-steps"):
        problems.append("causes in the JSON but no 'What to do first' section")

    facts = report.get("facts", {})
    devices = [full(d["bdf"]) for d in facts.get("pci", {}).get("devices") or [] if isinstance(d, dict) and "bdf" in d]
    rows = dom.with_class("device")
    if devices:
        svgs = dom.find("svg", id="host-picture")
        if not svgs:
            problems.append("no svg#host-picture although the facts list PCI devices")
        elif sorted(r.get("data-bdf") for r in rows) != sorted(devices):
            problems.append(f"{len(rows)} device rows for {len(devices)} PCI functions in the facts")
        groups = facts.get("pci", {}).get("iommu_groups")
        expected_grouping = "iommu" if isinstance(groups, dict) and groups else None
        if expected_grouping and svgs and svgs[0].get("data-grouping") != expected_grouping:
            problems.append(f"grouping {svgs[0].get('data-grouping')} although the facts have IOMMU groups")
        if expected_grouping:
            lanes = dom.with_class("group")
            shared = [g for g in groups.values() if len(set(map(full, g)) & set(devices)) >= 2]
            if len(lanes) != len(shared):
                problems.append(f"{len(lanes)} group lanes for {len(shared)} IOMMU groups of two or more functions")
    gpu = facts.get("gpu", {})
    target = set(full(f) for f in (gpu.get("target_info") or {}).get("functions") or [])
    if isinstance(gpu.get("target"), str):
        target.add(full(gpu["target"]))
    outlined = set(r.get("data-bdf") for r in dom.with_class("target"))
    if outlined != (target & set(devices)):
        problems.append(f"outlined {sorted(outlined)}, target GPU functions {sorted(target)}")
    refs = set(ref for result in report["results"] for ref in result.get("refs") or [])
    for result in report["results"]:
        if result["status"] == "fail" and result["severity"] == "blocker" and result.get("subject"):
            row = [r for r in rows if r.get("data-bdf") == full(result["subject"])]
            if row and row[0].get("data-readiness") != "blocked":
                problems.append(f"{result['subject']} has failed blocker {result['rule']} but is "
                                f"{row[0].get('data-readiness')}")
    for tag, attrs in dom.elements:
        for attribute in ("src", "href", "xlink:href"):
            value = attrs.get(attribute)
            # A reference the reader may follow (<a href="https://...">) fetches nothing by itself.
            if value and not (tag == "a" and attribute == "href" and value.startswith(("https://", "http://"))):
                problems.append(f"<{tag} {attribute}={value}> would load something")
            elif value and tag == "a" and value not in refs:
                problems.append(f"<a href={value}> is not one of the report's references")

    if screenshots:
        shot = pathlib.Path(screenshots) / f"{host}.png"
        taken = chromium([f"--screenshot={shot}", "--window-size=1280,1800", page.as_uri()], workdir)
        if taken.returncode != 0 or not shot.exists():
            problems.append(f"no screenshot: {taken.stderr.strip()[-300:]}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ptdoctor")
    parser.add_argument("fixtures")
    parser.add_argument("--screenshots", default=os.environ.get("PTDOCTOR_SCREENSHOTS"))
    parser.add_argument("hosts", nargs="*", default=HOSTS)
    options = parser.parse_args()
    if not shutil.which("chromium"):
        print("html_dom_test: chromium is not installed (apt-get install chromium)")
        return 1
    if options.screenshots:
        pathlib.Path(options.screenshots).mkdir(parents=True, exist_ok=True)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="ptdoctor-html-") as workdir:
        for host in options.hosts:
            problems = check_host(options.ptdoctor, options.fixtures, host, workdir, options.screenshots)
            print(f"{'FAIL' if problems else 'ok  '} {host}")
            for problem in problems:
                print(f"     {problem}")
            failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
