#include "fix/consent.hpp"

#include <algorithm>

namespace ptdoctor::fix {

std::vector<std::string> unaddressed_blockers(const Plan& plan, const std::vector<RuleResult>& results) {
  std::vector<std::string> open;
  for (const RuleResult& result : results) {
    if (result.severity != Severity::kBlocker || result.status != RuleStatus::kFail) continue;
    // The domU lint judges the user's own configs in /etc/xen, which the plan never edits (it writes its own NAME.cfg):
    // their problems stop that domU, not the host's preparation, so they do not hold the host's fixes back.
    if (result.rule_id.rfind("domu.", 0) == 0) continue;
    if (std::find(plan.addressed.begin(), plan.addressed.end(), result.rule_id) != plan.addressed.end()) continue;
    std::string line = result.rule_id;
    if (!result.subject.empty()) line += " [" + result.subject + "]";
    open.push_back(line + ": " + result.message);
  }
  return open;
}

namespace {

std::string count(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string join(const std::vector<std::string>& parts) {
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : ", ") + part;
  return text;
}

}  // namespace

std::string describe_changes(const Plan& plan, bool run_commands) {
  std::size_t files = 0, commands = 0;
  for (const PlanStep& step : plan.steps) {
    if (!step.changes()) continue;
    if (step.file) ++files;
    else if (step.kind == "command" && run_commands) ++commands;
  }
  if (files == 0 && commands == 0) return "";
  if (commands == 0) return count(files, "file change", "file changes");
  if (files == 0) return count(commands, "command", "commands");
  return count(files, "file change", "file changes") + " and " + count(commands, "command", "commands");
}

std::string describe_outcome(const ApplyOutcome& outcome) {
  std::vector<std::string> done;
  if (outcome.files_changed > 0) done.push_back(count(outcome.files_changed, "file changed", "files changed"));
  if (outcome.commands_run > 0) done.push_back(count(outcome.commands_run, "command run", "commands run"));
  std::string text = done.empty() ? "Already applied: nothing was changed" : "Applied: " + join(done);
  if (outcome.files_unchanged > 0) {
    text += " (" + count(outcome.files_unchanged, "file", "files") + " already as planned)";
  }
  if (done.empty()) text += "; no journal was written";
  std::vector<std::string> left;
  if (outcome.commands_not_run > 0) {
    left.push_back(count(outcome.commands_not_run, "command", "commands") + " to run yourself");
  }
  if (outcome.manual_steps > 0) left.push_back(count(outcome.manual_steps, "step", "steps") + " by hand");
  if (!left.empty()) text += ". Left to you (listed above): " + join(left);
  return text + ".";
}

}  // namespace ptdoctor::fix
