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

std::string describe_changes(const Plan& plan) {
  std::size_t files = 0, commands = 0;
  for (const PlanStep& step : plan.steps) {
    if (!step.changes()) continue;
    if (step.file) ++files;
    else if (step.kind == "command") ++commands;
  }
  auto count = [](std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  if (files == 0 && commands == 0) return "";
  if (commands == 0) return count(files, "file change", "file changes");
  if (files == 0) return count(commands, "command", "commands");
  return count(files, "file change", "file changes") + " and " + count(commands, "command", "commands");
}

}  // namespace ptdoctor::fix
