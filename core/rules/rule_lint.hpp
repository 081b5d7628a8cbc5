#pragma once
// The rule lint: every fact a rule reads (check, when, for_each, message and fix placeholders) is declared in the
// fact catalog, and every operator gets the type it works on (gt a number, matches a string, some a list, a bare
// fact used as a condition a boolean). Run on the shipped rules by a test and by `ptdoctor rules --lint FILE`.
// Fix generator names are checked when the rule loads (rule_fields.cpp), so a misspelt one never gets this far.
#include <string>
#include <vector>

#include "facts/fact_catalog.hpp"
#include "rules/rule.hpp"

namespace ptdoctor::rules {

// Problems as "file:line: rule ID: what; what to do", in rule order.
std::vector<std::string> lint_rules(const std::vector<Rule>& rules, const facts::FactCatalog& catalog);

}  // namespace ptdoctor::rules
