#pragma once
// What every renderer says the same way: topic groups, the verdict in words, the counts and the exit code.
// Keeping the wording here means text, Markdown and JSON never disagree about what a run means.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ptdoctor/report.hpp"

namespace ptdoctor::reports {

// Results of one topic (the rule id's first component, with iommu and acpi sharing one), in report order.
struct Topic {
  std::string key;    // "cpu", "iommu", ... or the unknown prefix itself
  std::string title;  // "CPU", "IOMMU and ACPI tables", ...
  std::vector<const RuleResult*> results;
};

// Known topics first in the order a setup proceeds (cpu, iommu/acpi, kernel, xen, pci, gpu, usb, domu, spec), then
// unknown prefixes in order of first appearance, each in its own group. Empty topics are left out.
std::vector<Topic> group_by_topic(const std::vector<RuleResult>& results);

// "READY", "READY WITH WARNINGS", "NOT READY", "CANNOT JUDGE".
const char* verdict_headline(Verdict verdict);
// The report's headline: the verdict's, and ", configured but not yet in effect" while the last `fix --apply` waits
// for a reboot (RunReport::pending), so that `check` and `verify` never seem to disagree.
std::string verdict_headline(const RunReport& report);
// One sentence on why the verdict is what it is, from the results ("2 blockers failed: ..."), and what of the last
// `fix --apply` is not yet in effect.
std::string verdict_reason(const RunReport& report);
// "pci: missing: no ptdoctor-pci.so in /usr/lib/ptdoctor/plugins". Raw: the caller cleans or escapes it.
std::string plugin_problem_line(const PluginProblem& problem);
// The heading over those lines and what to do about them, in words every format shares.
inline constexpr std::string_view kPluginProblemsHeading =
    "Plugins that did not run (the rules that need their facts say unknown)";
std::string plugin_problems_advice(const std::vector<PluginProblem>& problems);
// "14 results: 10 passed, 2 failed (1 blocker, 1 warning), 1 unknown, 0 errors, 1 skipped"
std::string counts_sentence(const Summary& summary);

// Results that need the reader's attention, in the order a reader should act: failed blockers, failed warnings,
// failed infos.
std::vector<const RuleResult*> failures(const std::vector<RuleResult>& results, Severity severity);
std::vector<const RuleResult*> with_status(const std::vector<RuleResult>& results, RuleStatus status);

// "this machine (live), hostname box, kernel 6.1.0-18-amd64" or "offline root /srv/box, hostname ?, ...".
// Raw: the caller cleans or escapes it for its format.
std::string host_sentence(const HostInfo& host);

// For a result: each fact it looked at that was missing or null, with the reason the plugin gave for it (from
// report.unknown_reasons, searching the path and its ancestors), as "cpu.msr.vmx_locked: not root". Facts
// without a recorded reason say "not collected". Reasons the result's message already states are left out.
std::vector<std::string> missing_fact_reasons(const RunReport& report, const RuleResult& result);

// A problem the reader acts on, with the problems that follow from it (RuleResult::caused_by) folded under it.
struct Cause {
  const RuleResult* result;
  std::vector<const RuleResult*> consequences;
};

// A problem that follows from another that did not pass: reports fold it under that cause.
bool is_consequence(const RuleResult& result);
// The root causes, in the order to act on them: failed blockers, rule errors, undecided blockers, failed
// warnings, undecided warnings; within each, the causes more problems follow from first. Info problems are causes
// only when something follows from them.
std::vector<Cause> root_causes(const std::vector<RuleResult>& results);
// Causes "What to do first" lists (text, compact Markdown); the details below it list every one.
inline constexpr std::size_t kFirstCauses = 5;
// "1 cause, 9 consequences" (empty when nothing follows from anything).
std::string causes_sentence(const std::vector<Cause>& causes);
// What to run next, from the verdict: plan when something fails, explain for details.
std::string next_steps_sentence(const RunReport& report);

// "1 blocker" / "2 blockers".
std::string count_of(int count, std::string_view singular, std::string_view plural);
// "a", "a and b", "a, b and c".
std::string joined(const std::vector<std::string>& items);

// Results of one rule that say the same about several subjects (usb.rmrr-shared for each function of one EHCI
// group): one finding, so the why, the fixes and the references are printed once with every subject named.
struct Finding {
  std::vector<const RuleResult*> results;  // never empty; results[0] stands for the rest
  const RuleResult& first() const { return *results.front(); }
  bool grouped() const { return results.size() > 1; }
};
// Groups results of the same rule, status, severity, why and cause that are about different subjects, in order of
// first appearance; every other result is a finding of its own.
std::vector<Finding> group_findings(const std::vector<const RuleResult*>& results);
// The line a finding is listed under: the result's message for one result; for several, the rule's title, what the
// status means and the subjects ("Passed USB controllers have no shared RMRR: fails for 0000:00:1d.0 and ...").
std::string finding_headline(const Finding& finding);
// The fix texts of a finding, each once, in order (a fix that names the subject appears once per subject).
std::vector<std::string> finding_fixes(const Finding& finding);
// missing_fact_reasons of every result of a finding, each once.
std::vector<std::string> finding_missing_reasons(const RunReport& report, const Finding& finding);
// The subject of a result, to add after its message: "" when it has none or the message already names it.
std::string subject_note(const RuleResult& result);

// Root causes of one finding, as one step of "What to do first", with everything that follows from any of them.
struct CauseFinding {
  Finding finding;
  std::vector<const RuleResult*> consequences;
};
// What follows from any result of a finding that is a cause (empty when none is).
std::vector<const RuleResult*> consequences_of(const Finding& finding, const std::vector<Cause>& causes);
// root_causes() grouped by finding, keeping their order.
std::vector<CauseFinding> group_causes(const std::vector<Cause>& causes);

// An input a plugin could not read cleanly (a truncated ACPI table, a /proc/cpuinfo that is not one, a corrupt
// /proc/config.gz), named as the warnings name it, with how many problems were found in it.
struct DamagedInput {
  std::string input;  // "/sys/firmware/acpi/tables/DMAR", "xl info (xl-info.txt)"
  int problems = 0;
};
// From the plugins' warning and error diagnostics, in order of first mention. Empty on a host whose inputs parse.
std::vector<DamagedInput> damaged_inputs(const RunReport& report);
// The heading over them and the advice, in words every format shares.
inline constexpr std::string_view kDamagedInputsHeading = "Damaged inputs (fix or capture them again)";
inline constexpr std::string_view kDamagedInputsAdvice =
    "What depends on these could not be judged, or was judged on the part that could be read; the diagnostics at "
    "the end say what is wrong in each.";
// The rule ids of the undecided results, each once: "xen.hvm, xen.version-supported and 6 more" (up to `shown`).
std::string undecided_rules_text(const std::vector<RuleResult>& results, std::size_t shown);

}  // namespace ptdoctor::reports
