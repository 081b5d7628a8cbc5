#!/usr/bin/env python3
"""Mutation check of the fix planner's key decisions (issue 16): each mutant removes or inverts one decision in the
C++ source, rebuilds only the fix tests and runs them; a mutant that no test notices is a gap in the tests.

Usage: tests/fix/mutate_planner.py [BUILD_DIR]   (default: build; configure and build it first)

Not part of ctest: every mutant recompiles one planner file and relinks fix_test, which takes minutes on two
cores. Run it after changing the planner or its tests; it exits 1 when a mutant survives or no longer applies.
The source is restored after every mutant, also on Ctrl-C.
"""
import pathlib
import re
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]

# (decision, file, exact text, replacement). A text that is no longer in the file fails the run: update the mutant.
MUTANTS = [
    ("rdm_policy from the DMAR: ignore acpi.dmar.rmrr",
     "core/fix/rdm_policy.cpp",
     "if (rmrrs && rmrrs->is_array()) add_rmrrs(*rmrrs, bdf, decision.regions);",
     "if (false) add_rmrrs(*rmrrs, bdf, decision.regions);"),
    ("rdm_policy: an unshared RDM below rdm_mem_boundary stays strict",
     "core/fix/rdm_policy.cpp",
     "} else if (region.base < boundary) {",
     "} else if (false && region.base < boundary) {"),  # keeps `boundary` used: -Werror=unused-variable
    ("rdm_policy: relax every passed device",
     "core/fix/plan_domu.cpp",
     "spec.pci.push_back({bdf, rdm.relaxed});",
     "spec.pci.push_back({bdf, true});"),
    ("rdm_policy: say nothing when the firmware tables are unknown",
     "core/fix/plan_domu.cpp",
     "if (!strict_unknown.empty()) {",
     "if (false) {"),
    ("xl pci-assignable-add: run it live on a card a graphics driver drives",
     "core/fix/plan_domu.cpp",
     "if (std::string hazard = live_unbind_hazard(bdf); !hazard.empty()) {",
     "if (std::string hazard; !hazard.empty()) {"),
    ("hide list: leave the GPU's functions out",
     "core/fix/planner.cpp",
     "for (const auto* list : {&gpu_functions_, &usb_functions_}) {",
     "for (const auto* list : {&usb_functions_}) {"),
    ("hide list: only the chosen GPU function, not its siblings (HDMI audio)",
     "core/fix/planner.cpp",
     "if (!functions.empty()) gpu_functions_ = functions;",
     "if (!functions.empty()) gpu_functions_ = {bdf};"),
    ("pciback as a module (modprobe.d) or built in (kernel line): inverted",
     "core/fix/plan_pciback.cpp",
     'bool as_module = (module.value_or(false) || pciback == "m") && !builtin.value_or(false) && pciback != "y";',
     'bool as_module = !((module.value_or(false) || pciback == "m") && !builtin.value_or(false) && pciback != "y");'),
    ("pciback module: no softdep for the GPU vendor's drivers",
     "core/fix/plan_pciback.cpp",
     'if (gpu_vendor_ == "0x1002") {',
     'if (gpu_vendor_ == "0x1002-mutant") {'),
    ("grub variable: hide list on GRUB_CMDLINE_LINUX (every entry) instead of the Xen-only dom0 line",
     "core/fix/planner_builder.hpp",
     'inline constexpr const char* kDom0Xen = "GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT";',
     'inline constexpr const char* kDom0Xen = "GRUB_CMDLINE_LINUX";'),
    ("grub variable: Xen options on GRUB_CMDLINE_XEN instead of GRUB_CMDLINE_XEN_DEFAULT",
     "core/fix/planner_builder.hpp",
     'inline constexpr const char* kXenDefault = "GRUB_CMDLINE_XEN_DEFAULT";',
     'inline constexpr const char* kXenDefault = "GRUB_CMDLINE_XEN";'),
]


def run(cmd, **kw):
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, **kw)


def build(build_dir):
    return run(["nice", "cmake", "--build", build_dir, "--target", "fix_test", "-j2"])


def main(argv):
    build_dir = argv[1] if len(argv) > 1 else "build"
    fix_test = REPO / build_dir / "tests" / "fix" / "fix_test"
    results = []
    for decision, rel, text, replacement in MUTANTS:
        path = REPO / rel
        original = path.read_text()
        if original.count(text) != 1:
            results.append((decision, "NOT APPLICABLE: the source changed, update the mutant"))
            continue
        try:
            path.write_text(original.replace(text, replacement))
            built = build(build_dir)
            if built.returncode != 0:
                results.append((decision, "BUILD FAILED: fix the mutant\n" + built.stdout[-2000:] + built.stderr[-2000:]))
                continue
            tested = subprocess.run([str(fix_test), "--gtest_brief=1"], cwd=fix_test.parent, capture_output=True,
                                    text=True)
            failed = re.findall(r"^\[  FAILED  \] ([\w/.]+)", tested.stdout, re.M)
            outcome = ("killed by " + ", ".join(sorted(set(failed))[:4])) if tested.returncode != 0 else "SURVIVED"
            results.append((decision, outcome))
        finally:
            path.write_text(original)
        print(f"{decision}: {results[-1][1]}", flush=True)
    restored = build(build_dir)
    print("\nPlanner mutants:")
    for decision, outcome in results:
        print(f"  {decision}\n    -> {outcome}")
    bad = [r for r in results if not r[1].startswith("killed")]
    if restored.returncode != 0:
        print("rebuilding the unmutated fix_test failed", file=sys.stderr)
        return 1
    print(f"\n{len(results) - len(bad)} of {len(results)} mutants killed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
