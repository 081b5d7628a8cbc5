#pragma once
// `follows:` between rules: checking the links when rules are loaded, and folding a run's consequences under
// their root cause (a KVM guest fails every dom0 check; the report should say "1 cause, 9 consequences").
#include <string>
#include <vector>

#include "ptdoctor/report.hpp"
#include "rules/rule.hpp"

namespace ptdoctor::rules {

// Problems with the `follows:` of rules[first..]: a named rule that is not loaded, or a chain that comes back to
// itself, each as "file:line: ...". The links of such rules are cleared so evaluation never loops.
std::vector<std::string> check_follows(std::vector<Rule>& rules, std::size_t first);

// Sets caused_by on every problem result (fail, unknown, error) whose rule follows a rule that did not pass, to
// the root of that chain: the first rule up the chain whose own prerequisite passed (or that has none).
void link_causes(std::vector<RuleResult>& results);

}  // namespace ptdoctor::rules
