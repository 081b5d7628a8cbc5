#include "rule_test_support.hpp"

#include <gtest/gtest.h>

namespace ptdoctor::testing {

std::string one_rule(const std::string& check, const std::string& extra) {
  return "kind: rules\n"
         "schema: 1\n"
         "rules:\n"
         "  - id: t.rule\n"
         "    title: Test rule\n"
         "    severity: info\n"
         "    check: " + check + "\n" +
         extra +
         "    message:\n"
         "      fail: failed\n";
}

std::vector<RuleResult> run_rules(const std::string& yaml, const FactStore& facts) {
  RuleSet rules;
  auto errors = rules.load_text(yaml, "t.yaml");
  for (const Error& error : errors) ADD_FAILURE() << error.message;
  return rules.evaluate(facts);
}

RuleStatus status_of(const std::string& check, const FactStore& facts) {
  auto results = run_rules(one_rule(check), facts);
  if (results.size() != 1) {
    ADD_FAILURE() << "expected one result, got " << results.size();
    return RuleStatus::kError;
  }
  return results.front().status;
}

std::vector<std::string> load_errors(const std::string& yaml, const std::string& origin) {
  RuleSet rules;
  std::vector<std::string> messages;
  for (const Error& error : rules.load_text(yaml, origin)) messages.push_back(error.message);
  return messages;
}

}  // namespace ptdoctor::testing
