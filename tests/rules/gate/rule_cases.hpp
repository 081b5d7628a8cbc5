#pragma once
// Rule-level cases as data (tests/rules/cases/*.yaml): for one rule, a minimal fact tree and the status the rule
// must give on it. The same cases pin the shipped rules and kill their mutants (rule_mutation_gate_test.cpp).
#include <string>
#include <vector>

#include "ptdoctor/facts.hpp"
#include "ptdoctor/report.hpp"
#include "rules/rule.hpp"

namespace ptdoctor::testing {

struct RuleCase {
  std::string rule_id;
  RuleStatus expected = RuleStatus::kPass;
  FactStore facts;
  std::string where;  // "file:line" of the case, for failure messages
};

struct LoadedCases {
  std::vector<RuleCase> cases;
  std::vector<std::string> problems;  // "file:line: what is wrong"
};

// Reads every *.yaml in `dir` (see tests/rules/cases/README.md for the format).
LoadedCases load_rule_cases(const std::string& dir);

// Every rule of every rules/*.yaml in `dir`, loaded with the production loader; load problems go to `problems`.
std::vector<Rule> load_shipped_rules(const std::string& dir, std::vector<std::string>& problems);

// Why `rule_case` does not hold on `rules` (empty when it holds): every result of the case's rule must have the
// expected status, and there must be at least one.
std::string case_failure(const std::vector<Rule>& rules, const RuleCase& rule_case);

}  // namespace ptdoctor::testing
