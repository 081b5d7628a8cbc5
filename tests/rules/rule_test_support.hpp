#pragma once
// Builds small rule files and fact stores for the rule engine tests.
#include <string>
#include <vector>

#include "ptdoctor/facts.hpp"
#include "ptdoctor/rules.hpp"

namespace ptdoctor::testing {

// A rules file with one info rule `t.rule` whose check is `check` (flow YAML); `extra` holds more rule keys,
// each line already indented for a rule entry ("    when: ...\n").
std::string one_rule(const std::string& check, const std::string& extra = "");

// Loads `yaml` (failing the test on any load error) and evaluates it against `facts`.
std::vector<RuleResult> run_rules(const std::string& yaml, const FactStore& facts);
// Status of the single result of a one-rule file.
RuleStatus status_of(const std::string& check, const FactStore& facts);
// Load errors of a text, as messages.
std::vector<std::string> load_errors(const std::string& yaml, const std::string& origin = "t.yaml");

}  // namespace ptdoctor::testing
