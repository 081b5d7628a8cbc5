#include "ptdoctor/report.hpp"

namespace ptdoctor {

const char* to_string(Severity severity) {
  switch (severity) {
    case Severity::kBlocker: return "blocker";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "info";
  }
  return "info";
}

const char* to_string(RuleStatus status) {
  switch (status) {
    case RuleStatus::kPass: return "pass";
    case RuleStatus::kFail: return "fail";
    case RuleStatus::kSkip: return "skip";
    case RuleStatus::kUnknown: return "unknown";
    case RuleStatus::kError: return "error";
  }
  return "unknown";
}

// The verdict's name in JSON, Markdown and HTML: the text report's headline in lower case with dashes
// ("READY WITH WARNINGS" -> "ready-with-warnings"), so a script and a reader see the same word.
const char* to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::kReady: return "ready";
    case Verdict::kWarnings: return "ready-with-warnings";
    case Verdict::kNotReady: return "not-ready";
    case Verdict::kUnknown: return "cannot-judge";
  }
  return "cannot-judge";
}

const char* to_string(PluginProblemKind kind) {
  switch (kind) {
    case PluginProblemKind::kMissing: return "missing";
    case PluginProblemKind::kRefused: return "refused";
    case PluginProblemKind::kFailed: return "failed";
  }
  return "missing";
}

Summary summarize(const std::vector<RuleResult>& results) {
  Summary summary;
  for (const RuleResult& result : results) {
    switch (result.status) {
      case RuleStatus::kPass: ++summary.pass; break;
      case RuleStatus::kFail:
        ++summary.fail;
        if (result.severity == Severity::kBlocker) ++summary.blockers_failed;
        if (result.severity == Severity::kWarning) ++summary.warnings_failed;
        break;
      case RuleStatus::kSkip: ++summary.skip; break;
      case RuleStatus::kUnknown: ++summary.unknown; break;
      case RuleStatus::kError: ++summary.error; break;
    }
  }
  return summary;
}

Verdict compute_verdict(const std::vector<RuleResult>& results) {
  // Nothing judged is not the same as nothing wrong.
  if (results.empty()) return Verdict::kUnknown;
  bool blocker_failed = false, blocker_undecided = false, blocker_passed = false, warning_failed = false;
  for (const RuleResult& result : results) {
    bool undecided = result.status == RuleStatus::kUnknown || result.status == RuleStatus::kError;
    if (result.severity == Severity::kBlocker) {
      blocker_failed |= result.status == RuleStatus::kFail;
      blocker_passed |= result.status == RuleStatus::kPass;
      blocker_undecided |= undecided;
    } else if (result.severity == Severity::kWarning) {
      warning_failed |= result.status == RuleStatus::kFail;
    }
  }
  if (blocker_failed) return Verdict::kNotReady;
  // Ready means a blocker was checked and held. When every blocker skipped (its premise was false) or there was
  // none, nothing showed the host can pass a GPU through: the same as nothing judged.
  if (blocker_undecided || !blocker_passed) return Verdict::kUnknown;
  if (warning_failed) return Verdict::kWarnings;
  return Verdict::kReady;
}

int exit_code_for(Verdict verdict) {
  switch (verdict) {
    case Verdict::kReady: return 0;
    case Verdict::kWarnings: return 1;
    case Verdict::kNotReady: return 2;
    case Verdict::kUnknown: return 3;
  }
  return 3;
}

Verdict compute_verdict(const std::vector<RuleResult>& results, const std::vector<PluginProblem>& plugin_problems) {
  Verdict verdict = compute_verdict(results);
  if (!plugin_problems.empty() && verdict != Verdict::kNotReady) return Verdict::kUnknown;
  return verdict;
}

}  // namespace ptdoctor
