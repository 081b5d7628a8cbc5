#pragma once
// Hand-built RunReports for the renderer tests: every status and severity, per-item subjects, plugin failures,
// diagnostics, and strings written to break a renderer.
#include "ptdoctor/report.hpp"

namespace ptdoctor::testing {

// A result with the given id, severity and status, and a message naming both.
RuleResult make_result(std::string rule_id, Severity severity, RuleStatus status, std::string subject = "");

// Summary and verdict filled in from the results, as the session does.
RunReport finish(RunReport report);

// Every status x severity, topics cpu/iommu/acpi/kernel/xen/pci/gpu/usb and an unknown prefix, two subjects for
// one per-item rule, a failed plugin, diagnostics of each level, facts and unknown reasons.
RunReport full_report();

// A KVM guest as ptdoctor sees it: one blocker cause (cpu.not-a-guest) with three blockers that follow from it,
// a warning of its own, two info notes and passes; the facts hold a small PCI tree with IOMMU groups and a
// target GPU (0000:01:00.0 and .1, below bridge 0000:00:01.0).
RunReport caused_report();

// No results, no plugins: the "cannot judge" report.
RunReport empty_report();

// Every text field holds pipes, HTML, backticks, newlines, terminal escapes and invalid UTF-8.
RunReport hostile_report();

// Bytes that are not UTF-8: a lone continuation-less lead, a byte that never occurs, a truncated sequence.
inline constexpr const char* kHostileBytes = "\xff\xfe\xc3";

// Pieces of hostile text, for assertions.
inline constexpr const char* kHostile =
    "a|b <script>alert(1)</script> `code` *bold* _u_ [link](http://x) & \n# heading\n- item \x1b[31mred\x1b[0m "
    "\xff\xfe\xc3 end";

}  // namespace ptdoctor::testing
