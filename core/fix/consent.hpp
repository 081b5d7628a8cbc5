#pragma once
// What `fix --apply` checks before the first change: which failing blockers the plan does nothing about (applying
// boot options on a machine without an IOMMU builds nothing usable), and what the user is asked to agree to.
#include <string>
#include <vector>

#include "fix/plan.hpp"
#include "ptdoctor/report.hpp"

namespace ptdoctor::fix {

// Failing blocker results whose rule no planned step addresses (Plan::addressed), as "rule-id [subject]: message",
// in result order. Manual steps do not count: a person still has to do them before the setup can work.
std::vector<std::string> unaddressed_blockers(const Plan& plan, const std::vector<RuleResult>& results);

// "3 file changes and 1 command" for the consent question; empty when the plan changes nothing.
std::string describe_changes(const Plan& plan);

}  // namespace ptdoctor::fix
