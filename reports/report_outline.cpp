#include "report_outline.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>
#include <map>
#include <utility>

namespace ptdoctor::reports {
namespace {

struct KnownTopic {
  std::string_view prefix;
  std::string_view key;
  std::string_view title;
};

// The order a reader fixes things in: firmware and CPU first, the device, then the guest's config; the rules of a
// parts list (--spec) judge nothing on a host, so they come last.
constexpr std::array<KnownTopic, 10> kKnownTopics{{
    {"cpu", "cpu", "CPU"},
    {"iommu", "iommu", "IOMMU and ACPI tables"},
    {"acpi", "iommu", "IOMMU and ACPI tables"},
    {"kernel", "kernel", "Kernel (dom0)"},
    {"xen", "xen", "Xen"},
    {"pci", "pci", "PCI"},
    {"gpu", "gpu", "GPU"},
    {"usb", "usb", "USB"},
    {"domu", "domu", "domU configs"},
    {"spec", "spec", "Parts list (--spec)"},
}};

std::string prefix_of(const std::string& rule_id) { return rule_id.substr(0, rule_id.find('.')); }

}  // namespace

std::vector<Topic> group_by_topic(const std::vector<RuleResult>& results) {
  std::vector<Topic> known;
  for (const KnownTopic& topic : kKnownTopics) {
    if (known.empty() || known.back().key != topic.key) {
      known.push_back({std::string(topic.key), std::string(topic.title), {}});
    }
  }
  std::vector<Topic> others;
  for (const RuleResult& result : results) {
    std::string prefix = prefix_of(result.rule_id);
    Topic* target = nullptr;
    for (const KnownTopic& topic : kKnownTopics) {
      if (topic.prefix != prefix) continue;
      for (Topic& group : known) {
        if (group.key == topic.key) target = &group;
      }
    }
    for (Topic& group : others) {
      if (target == nullptr && group.key == prefix) target = &group;
    }
    if (target == nullptr) {
      others.push_back({prefix, prefix.empty() ? "Other" : prefix, {}});
      target = &others.back();
    }
    target->results.push_back(&result);
  }
  std::vector<Topic> grouped;
  for (Topic& topic : known) {
    if (!topic.results.empty()) grouped.push_back(std::move(topic));
  }
  for (Topic& topic : others) grouped.push_back(std::move(topic));
  return grouped;
}

const char* verdict_headline(Verdict verdict) {
  switch (verdict) {
    case Verdict::kReady: return "READY";
    case Verdict::kWarnings: return "READY WITH WARNINGS";
    case Verdict::kNotReady: return "NOT READY";
    case Verdict::kUnknown: return "CANNOT JUDGE";
  }
  return "CANNOT JUDGE";
}

std::string verdict_headline(const RunReport& report) {
  std::string headline = verdict_headline(report.verdict);
  if (report.pending) headline += ", configured but not yet in effect";
  return headline;
}

namespace {

// "; `ptdoctor fix --apply` (journal ID) configured changes that are not in effect yet: FIRST (and N more). Reboot
// into the Xen entry, then run `ptdoctor verify`": the words verify uses, said where the verdict is.
std::string pending_sentence(const PendingApply& pending) {
  std::string sentence = "; `ptdoctor fix --apply` (journal " + pending.journal_id +
                         ") configured changes that are not in effect yet: " + pending.not_in_effect.front();
  if (pending.not_in_effect.size() > 1) {
    sentence += " (and " + count_of(static_cast<int>(pending.not_in_effect.size() - 1), "more step", "more steps") + ")";
  }
  return sentence + ". Reboot into the Xen entry, then run `ptdoctor verify`";
}

}  // namespace

std::string count_of(int count, std::string_view singular, std::string_view plural) {
  return std::to_string(count) + " " + std::string(count == 1 ? singular : plural);
}

std::vector<const RuleResult*> failures(const std::vector<RuleResult>& results, Severity severity) {
  std::vector<const RuleResult*> found;
  for (const RuleResult& result : results) {
    if (result.status == RuleStatus::kFail && result.severity == severity) found.push_back(&result);
  }
  return found;
}

std::vector<const RuleResult*> with_status(const std::vector<RuleResult>& results, RuleStatus status) {
  std::vector<const RuleResult*> found;
  for (const RuleResult& result : results) {
    if (result.status == status) found.push_back(&result);
  }
  return found;
}

namespace {

// Words of the plugins' reasons that say a fact needs root ("not root", "readable only by root", "root only").
bool says_root_is_needed(const std::string& reason) {
  for (std::string_view words : {"not root", "only by root", "root only", "as root", "needs root"}) {
    if (reason.find(words) != std::string::npos) return true;
  }
  return false;
}

// What to do about undecided blockers, from what left them undecided: damaged inputs first (running as root does
// not mend a truncated table), root only when a reason says root is needed, else the reasons themselves.
std::string undecided_advice(const RunReport& report) {
  if (!damaged_inputs(report).empty()) return "inputs are damaged (named below): fix them or capture them again";
  bool root = std::any_of(report.unknown_reasons.begin(), report.unknown_reasons.end(),
                          [](const auto& entry) { return says_root_is_needed(entry.second); });
  for (const RuleResult& result : report.results) {
    root = root || (result.status == RuleStatus::kUnknown && says_root_is_needed(result.message));
  }
  if (!root) return "see the reason given with each";
  bool live = report.host.source.empty() || report.host.source == "live";
  return live ? "some facts need root: run ptdoctor as root"
              : "some facts need root: capture the host again as root (`sudo ptdoctor snapshot`)";
}

}  // namespace
// The verdict's reason from the results alone (defined below).
static std::string verdict_reason_of_results(const RunReport& report);

std::string verdict_reason(const RunReport& report) {
  std::string reason = verdict_reason_of_results(report);
  if (report.pending && !report.pending->not_in_effect.empty()) reason += pending_sentence(*report.pending);
  return reason;
}

static std::string verdict_reason_of_results(const RunReport& report) {
  int undecided_blockers = 0;
  for (const RuleResult& result : report.results) {
    bool undecided = result.status == RuleStatus::kUnknown || result.status == RuleStatus::kError;
    if (undecided && result.severity == Severity::kBlocker) ++undecided_blockers;
  }
  int blockers = static_cast<int>(failures(report.results, Severity::kBlocker).size());
  int warnings = static_cast<int>(failures(report.results, Severity::kWarning).size());
  switch (report.verdict) {
    case Verdict::kReady:
      return "every blocker passed and no warning failed";
    case Verdict::kWarnings:
      return "no blocker failed, but " + count_of(warnings, "warning needs", "warnings need") + " a look";
    case Verdict::kNotReady:
      return count_of(blockers, "blocker", "blockers") + " failed: passthrough will not work until " +
             (blockers == 1 ? "it is" : "they are") + " fixed";
    case Verdict::kUnknown:
      if (report.results.empty()) return "no rule was evaluated, so nothing could be judged";
      if (!report.plugin_problems.empty()) {
        std::string names;
        for (const PluginProblem& problem : report.plugin_problems) {
          names += (names.empty() ? "" : ", ") + problem.name;
        }
        return count_of(static_cast<int>(report.plugin_problems.size()), "plugin", "plugins") + " (" + names +
               ") did not run, so " + count_of(undecided_blockers, "blocker", "blockers") +
               " could not be decided";
      }
      if (undecided_blockers == 0) {
        return "no blocker passed or failed (each was skipped), so nothing showed that passthrough can work";
      }
      return count_of(undecided_blockers, "blocker", "blockers") + " could not be decided: " +
             undecided_advice(report);
  }
  return "";
}

std::string plugin_problem_line(const PluginProblem& problem) {
  return problem.name + ": " + to_string(problem.kind) + ": " + problem.reason;
}

std::string plugin_problems_advice(const std::vector<PluginProblem>& problems) {
  bool install = false, crashed = false;
  for (const PluginProblem& problem : problems) {
    (problem.kind == PluginProblemKind::kFailed ? crashed : install) = true;
  }
  std::string advice;
  if (install) {
    advice = "A missing or refused plugin is a broken install: reinstall ptdoctor (`apt install --reinstall "
             "ptdoctor`), or check the directory given to --plugin-dir.";
  }
  if (crashed) {
    advice += std::string(advice.empty() ? "" : " ") +
              "A plugin that threw is a bug in ptdoctor: please report it with the line above.";
  }
  return advice;
}

std::vector<std::string> missing_fact_reasons(const RunReport& report, const RuleResult& result) {
  std::vector<std::string> reasons;
  for (const auto& [path, value] : result.facts) {
    if (!value->is_null()) continue;
    std::string reason = "not collected";
    for (std::string prefix = path; !prefix.empty();) {
      if (auto found = report.unknown_reasons.find(prefix); found != report.unknown_reasons.end()) {
        reason = found->second;
        break;
      }
      std::size_t dot = prefix.rfind('.');
      prefix.resize(dot == std::string::npos ? 0 : dot);
    }
    // Unknown messages already say "(fact PATH: REASON)", or "(facts PATH and PATH: REASON)" for facts unknown for
    // one reason: say it once.
    bool said = result.message.find(path) != std::string::npos && result.message.find(reason) != std::string::npos;
    if (!said) reasons.push_back(path + ": " + reason);
  }
  return reasons;
}

std::string host_sentence(const HostInfo& host) {
  std::string where;
  if (host.source.empty() || host.source == "live") {
    where = "this machine (live";
    if (!host.root.empty() && host.root != "/") where += ", root " + host.root;
    where += ")";
  } else {
    where = "offline " + host.source + (host.root.empty() ? "" : " " + host.root);
  }
  // An offline tree or a parts list often has no hostname: it is left out rather than shown as "?", which reads
  // like a hostname the tool could not parse. The kernel is named "unknown" because the dom0 kernel is judged.
  if (!host.hostname.empty()) where += ", hostname " + host.hostname;
  return where + ", kernel " + (host.kernel.empty() ? "unknown" : host.kernel);
}

std::string counts_sentence(const Summary& summary) {
  int total = summary.pass + summary.fail + summary.skip + summary.unknown + summary.error;
  std::string sentence = count_of(total, "result", "results") + ": " + std::to_string(summary.pass) +
                         " passed, " + std::to_string(summary.fail) + " failed";
  if (summary.fail > 0) {
    int infos = summary.fail - summary.blockers_failed - summary.warnings_failed;
    sentence += " (" + count_of(summary.blockers_failed, "blocker", "blockers") + ", " +
                count_of(summary.warnings_failed, "warning", "warnings");
    if (infos > 0) sentence += ", " + std::to_string(infos) + " info";
    sentence += ")";
  }
  // Undecided results and rule errors are named when there are some: "0 unknown, 0 errors" on every ready host
  // only lengthens the line.
  if (summary.unknown > 0) sentence += ", " + std::to_string(summary.unknown) + " unknown";
  if (summary.error > 0) sentence += ", " + count_of(summary.error, "error", "errors");
  sentence += ", " + std::to_string(summary.skip) + " skipped";
  return sentence;
}

bool is_consequence(const RuleResult& result) { return is_problem(result) && !result.caused_by.empty(); }

namespace {

// Lower acts first. Infos are last: they are causes only when something follows from them.
int urgency(const RuleResult& result) {
  bool failed = result.status == RuleStatus::kFail;
  if (result.status == RuleStatus::kError) return 1;
  switch (result.severity) {
    case Severity::kBlocker: return failed ? 0 : 2;
    case Severity::kWarning: return failed ? 3 : 4;
    case Severity::kInfo: return 5;
  }
  return 5;
}

}  // namespace

std::vector<Cause> root_causes(const std::vector<RuleResult>& results) {
  std::vector<Cause> causes;
  std::map<std::string, std::size_t> cause_of_rule;  // rule id -> index of its first result in `causes`
  for (const RuleResult& result : results) {
    if (!is_problem(result) || is_consequence(result)) continue;
    if (!cause_of_rule.count(result.rule_id)) cause_of_rule[result.rule_id] = causes.size();
    causes.push_back({&result, {}});
  }
  for (const RuleResult& result : results) {
    if (!is_consequence(result)) continue;
    auto found = cause_of_rule.find(result.caused_by);
    if (found != cause_of_rule.end()) causes[found->second].consequences.push_back(&result);
  }
  std::erase_if(causes, [](const Cause& cause) {
    return cause.result->severity == Severity::kInfo && cause.consequences.empty();
  });
  // Within one urgency, a cause other problems follow from comes first: it is a prerequisite of theirs (Xen not
  // running before a kernel entry GRUB would make), and fixing it settles the most.
  std::stable_sort(causes.begin(), causes.end(), [](const Cause& a, const Cause& b) {
    if (urgency(*a.result) != urgency(*b.result)) return urgency(*a.result) < urgency(*b.result);
    return a.consequences.size() > b.consequences.size();
  });
  return causes;
}

std::string causes_sentence(const std::vector<Cause>& causes) {
  std::size_t consequences = 0;
  for (const Cause& cause : causes) consequences += cause.consequences.size();
  if (consequences == 0) return "";
  return count_of(static_cast<int>(causes.size()), "cause", "causes") + ", " +
         count_of(static_cast<int>(consequences), "consequence", "consequences") + " (they follow from a cause " +
         "and are folded under it)";
}

std::string next_steps_sentence(const RunReport& report) {
  if (report.verdict == Verdict::kReady) return "Next: `ptdoctor plan` shows the set-up it would write.";
  return "Next: `ptdoctor explain RULE-ID` explains a rule; `ptdoctor plan` shows the changes it would make.";
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
  }
  return text;
}

namespace {

bool same_finding(const RuleResult& a, const RuleResult& b) {
  return a.rule_id == b.rule_id && a.status == b.status && a.severity == b.severity && a.why == b.why &&
         a.caused_by == b.caused_by && !a.subject.empty() && !b.subject.empty() && a.subject != b.subject;
}

}  // namespace

std::vector<Finding> group_findings(const std::vector<const RuleResult*>& results) {
  std::vector<Finding> findings;
  for (const RuleResult* result : results) {
    auto same = std::find_if(findings.begin(), findings.end(), [result](const Finding& finding) {
      return std::all_of(finding.results.begin(), finding.results.end(),
                         [result](const RuleResult* other) { return same_finding(*other, *result); });
    });
    if (same != findings.end()) {
      same->results.push_back(result);
    } else {
      findings.push_back({{result}});
    }
  }
  return findings;
}

std::string finding_headline(const Finding& finding) {
  const RuleResult& first = finding.first();
  if (!finding.grouped()) return first.message.empty() ? first.title : first.message;
  std::vector<std::string> subjects;
  for (const RuleResult* result : finding.results) subjects.push_back(result->subject);
  std::string outcome = first.status == RuleStatus::kFail      ? "fails"
                        : first.status == RuleStatus::kUnknown ? "cannot tell"
                        : first.status == RuleStatus::kError   ? "rule error"
                        : first.status == RuleStatus::kPass    ? "passes"
                                                               : "not applicable";
  return first.title + ": " + outcome + " for " + joined(subjects);
}

// By position: every result's first fix, then every second fix, so the per-device variants of one fix stay together
// and a fix the same for all comes once, where the rule put it.
std::vector<std::string> finding_fixes(const Finding& finding) {
  std::vector<std::string> fixes;
  for (std::size_t position = 0;; ++position) {
    bool any = false;
    for (const RuleResult* result : finding.results) {
      if (position >= result->fixes.size()) continue;
      any = true;
      const std::string& text = result->fixes[position].text;
      if (std::find(fixes.begin(), fixes.end(), text) == fixes.end()) fixes.push_back(text);
    }
    if (!any) return fixes;
  }
}

std::vector<std::string> finding_missing_reasons(const RunReport& report, const Finding& finding) {
  std::vector<std::string> reasons;
  for (const RuleResult* result : finding.results) {
    if (result->status != RuleStatus::kUnknown) continue;
    for (std::string& reason : missing_fact_reasons(report, *result)) {
      if (std::find(reasons.begin(), reasons.end(), reason) == reasons.end()) reasons.push_back(std::move(reason));
    }
  }
  return reasons;
}

std::vector<const RuleResult*> consequences_of(const Finding& finding, const std::vector<Cause>& causes) {
  std::vector<const RuleResult*> consequences;
  for (const RuleResult* result : finding.results) {
    auto cause = std::find_if(causes.begin(), causes.end(),
                              [result](const Cause& candidate) { return candidate.result == result; });
    if (cause != causes.end()) {
      consequences.insert(consequences.end(), cause->consequences.begin(), cause->consequences.end());
    }
  }
  return consequences;
}

std::vector<CauseFinding> group_causes(const std::vector<Cause>& causes) {
  std::vector<const RuleResult*> results;
  for (const Cause& cause : causes) results.push_back(cause.result);
  std::vector<CauseFinding> steps;
  for (Finding& finding : group_findings(results)) {
    std::vector<const RuleResult*> consequences = consequences_of(finding, causes);
    steps.push_back({std::move(finding), std::move(consequences)});
  }
  return steps;
}

std::string subject_note(const RuleResult& result) {
  if (result.subject.empty() || result.message.find(result.subject) != std::string::npos) return "";
  return result.subject;
}

namespace {

// The input a plugin's warning is about: the text before its first ": " ("/proc/cpuinfo: line 1: ..."), without a
// ":LINE" suffix ("/etc/modprobe.d/x.conf:3"). A BDF's own colons are not followed by a space, so
// "/sys/bus/pci/devices/0000:00:01.0: ..." keeps its address. A warning that does not start with a file or a
// command's output is about no one input and is not listed.
std::string input_of(const std::string& message) {
  std::size_t colon = message.find(": ");
  if (colon == std::string::npos || colon == 0) return "";
  std::string input = message.substr(0, colon);
  // "/proc/cpuinfo has no processor fields (...): ..." is about /proc/cpuinfo.
  if (input.front() == '/' && input.find(' ') != std::string::npos) input.resize(input.find(' '));
  std::size_t last = input.rfind(':');
  if (last != std::string::npos && last + 1 < input.size() &&
      std::all_of(input.begin() + static_cast<std::ptrdiff_t>(last) + 1, input.end(),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    input.resize(last);
  }
  bool file = input.find('/') != std::string::npos;
  bool capture = input.find('(') != std::string::npos || input.rfind("xl ", 0) == 0;
  return file || capture ? input : "";
}

}  // namespace

std::vector<DamagedInput> damaged_inputs(const RunReport& report) {
  std::vector<DamagedInput> inputs;
  for (const Diagnostic& diagnostic : report.diagnostics) {
    if (diagnostic.level != "warning" && diagnostic.level != "error") continue;
    if (diagnostic.origin == "rules" || diagnostic.origin == "core") continue;
    std::string input = input_of(diagnostic.message);
    if (input.empty()) continue;
    // "xl info (xl-info.txt)" and "xl info" are one input: the capture file names the command's output.
    auto same = std::find_if(inputs.begin(), inputs.end(), [&input](const DamagedInput& known) {
      return known.input == input || known.input.rfind(input + " (", 0) == 0 || input.rfind(known.input + " (", 0) == 0;
    });
    if (same != inputs.end()) {
      ++same->problems;
      if (input.size() > same->input.size()) same->input = input;
    } else {
      inputs.push_back({input, 1});
    }
  }
  return inputs;
}

std::string undecided_rules_text(const std::vector<RuleResult>& results, std::size_t shown) {
  std::vector<std::string> ids;
  for (const RuleResult& result : results) {
    bool undecided = result.status == RuleStatus::kUnknown || result.status == RuleStatus::kError;
    if (undecided && std::find(ids.begin(), ids.end(), result.rule_id) == ids.end()) ids.push_back(result.rule_id);
  }
  if (ids.size() <= shown) return joined(ids);
  std::vector<std::string> named(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(shown));
  named.push_back(std::to_string(ids.size() - shown) + " more");
  return joined(named);
}

}  // namespace ptdoctor::reports
