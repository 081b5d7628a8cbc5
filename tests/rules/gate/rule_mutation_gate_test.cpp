// The rule-mutation gate (issue 16): every shipped rule is pinned by data cases in tests/rules/cases/, and a rule
// whose check is inverted or which is deleted must make at least one case fail. Rules are data, so each mutant is
// built in memory from the loaded rules and judged in-process: the whole gate runs in well under a second.
#include <algorithm>
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "rule_cases.hpp"

namespace ptdoctor::testing {
namespace {

const std::string kRulesDir = PTDOCTOR_SOURCE_DIR "/rules";
const std::string kCasesDir = PTDOCTOR_SOURCE_DIR "/tests/rules/cases";

struct Fixture {
  std::vector<Rule> rules;
  LoadedCases cases;
  std::vector<std::string> rule_problems;
};

const Fixture& loaded() {
  static const Fixture fixture = [] {
    Fixture f;
    f.rules = load_shipped_rules(kRulesDir, f.rule_problems);
    f.cases = load_rule_cases(kCasesDir);
    return f;
  }();
  return fixture;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += "\n  " + line;
  return text;
}

// True when some case fails on `rules`: the mutant is killed. `only`: judge just the cases of that rule (a case
// evaluates its own rule alone, so a mutant of one rule can only change that rule's cases).
bool killed(const std::vector<Rule>& rules, const std::vector<RuleCase>& cases, const std::string& only = "") {
  return std::any_of(cases.begin(), cases.end(), [&](const RuleCase& rule_case) {
    return (only.empty() || rule_case.rule_id == only) && !case_failure(rules, rule_case).empty();
  });
}

rules::Expr inverted(const rules::Expr& check) {
  rules::Expr negation;
  negation.kind = rules::Expr::Kind::kOp;
  negation.op = rules::Op::kNot;
  negation.name = "not";
  negation.args.push_back(check);
  negation.line = check.line;
  negation.column = check.column;
  return negation;
}

TEST(RuleCases, ShippedRulesAndCasesLoad) {
  const Fixture& f = loaded();
  EXPECT_TRUE(f.rule_problems.empty()) << joined(f.rule_problems);
  EXPECT_TRUE(f.cases.problems.empty()) << joined(f.cases.problems);
  // A wrong directory would make every other test here vacuous.
  EXPECT_GT(f.rules.size(), 50u);
  EXPECT_GE(f.cases.cases.size(), 2 * f.rules.size());
}

TEST(RuleCases, EveryCaseHoldsOnTheShippedRules) {
  std::vector<std::string> failures;
  for (const RuleCase& rule_case : loaded().cases.cases) {
    std::string failure = case_failure(loaded().rules, rule_case);
    if (!failure.empty()) failures.push_back(failure);
  }
  EXPECT_TRUE(failures.empty()) << failures.size() << " rule case(s) fail:" << joined(failures);
}

// A new rule without cases fails CI here: add a pass and a fail fact tree for it to tests/rules/cases/ (see
// docs/rules.md, "Rule cases"). Informational rules too: their severity says they are deliberately informational,
// and a pass and a fail still pin what they say.
TEST(RuleCases, EveryRuleHasAPassAndAFailCase) {
  std::map<std::string, std::set<RuleStatus>> covered;
  for (const RuleCase& rule_case : loaded().cases.cases) covered[rule_case.rule_id].insert(rule_case.expected);
  std::vector<std::string> missing;
  for (const Rule& rule : loaded().rules) {
    const auto& statuses = covered[rule.id];
    std::string lacks;
    if (!statuses.count(RuleStatus::kPass)) lacks += " pass";
    if (!statuses.count(RuleStatus::kFail)) lacks += " fail";
    if (!lacks.empty()) missing.push_back(rule.id + " (" + rule.source() + ") lacks a" + lacks + " case");
  }
  EXPECT_TRUE(missing.empty()) << missing.size() << " rule(s) without cases:" << joined(missing);
}

TEST(RuleCases, EveryCaseNamesAShippedRule) {
  std::set<std::string> ids;
  for (const Rule& rule : loaded().rules) ids.insert(rule.id);
  std::vector<std::string> stale;
  for (const RuleCase& rule_case : loaded().cases.cases) {
    if (!ids.count(rule_case.rule_id)) stale.push_back(rule_case.where + ": " + rule_case.rule_id);
  }
  EXPECT_TRUE(stale.empty()) << "cases for rules that do not exist:" << joined(stale);
}

TEST(RuleMutationGate, NoInvertedOrDeletedRuleSurvives) {
  const Fixture& f = loaded();
  ASSERT_FALSE(killed(f.rules, f.cases.cases)) << "the unmutated rules must pass every case first";
  std::vector<std::string> survivors;
  for (std::size_t i = 0; i < f.rules.size(); ++i) {
    std::vector<Rule> mutant = f.rules;
    mutant[i].check = inverted(f.rules[i].check);
    if (!killed(mutant, f.cases.cases, f.rules[i].id)) survivors.push_back(f.rules[i].id + " (check inverted)");
    mutant = f.rules;
    mutant.erase(mutant.begin() + static_cast<std::ptrdiff_t>(i));
    if (!killed(mutant, f.cases.cases, f.rules[i].id)) survivors.push_back(f.rules[i].id + " (deleted)");
  }
  EXPECT_TRUE(survivors.empty()) << survivors.size() << " rule mutant(s) survive every case:" << joined(survivors);
}

}  // namespace
}  // namespace ptdoctor::testing
