#pragma once
// What `fix --apply` checks before the first change: which failing blockers the plan does nothing about (applying
// boot options on a machine without an IOMMU builds nothing usable), what the user is asked to agree to, and what
// it says after the last change. Counts always name what they count (files, commands, steps left to the user).
#include <string>
#include <vector>

#include "fix/applier.hpp"
#include "fix/plan.hpp"
#include "ptdoctor/report.hpp"

namespace ptdoctor::fix {

// Failing blocker results whose rule no planned step addresses (Plan::addressed), as "rule-id [subject]: message",
// in result order. Manual steps do not count: a person still has to do them before the setup can work.
std::vector<std::string> unaddressed_blockers(const Plan& plan, const std::vector<RuleResult>& results);

// "3 file changes and 1 command" for the consent question; empty when the plan changes nothing. Commands count only
// when they will run (run_commands: the live host); elsewhere they are listed for the user and change nothing.
std::string describe_changes(const Plan& plan, bool run_commands);

// The summary `fix --apply` ends with: "Applied: 4 files changed, 1 command run (2 files already as planned). Left
// to you: 3 steps by hand (listed above)." or, when nothing changed, "Already applied: nothing was changed …; no
// journal was written."
std::string describe_outcome(const ApplyOutcome& outcome);

}  // namespace ptdoctor::fix
