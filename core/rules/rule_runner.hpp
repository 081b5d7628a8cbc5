#pragma once
// Runs one rule against the facts: `when`, then `for_each` (one result per item), then `check`, and turns each
// outcome into a RuleResult with its message, subject, fixes and the facts it looked at.
#include <vector>

#include "ptdoctor/facts.hpp"
#include "ptdoctor/report.hpp"
#include "rules/rule.hpp"

namespace ptdoctor::rules {

// The results refer into the store's tree (FactStore::shared_tree) for the facts they looked at.
std::vector<RuleResult> run_rule(const Rule& rule, const FactStore& facts);

}  // namespace ptdoctor::rules
