// Three-valued logic: how unknown and error travel through all/any/not/some/every and `when`.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

namespace ptdoctor::testing {
namespace {

FactStore logic_facts() {
  FactStore facts;
  facts.set("t.yes", true, "test");
  facts.set("t.no", false, "test");
  facts.set("t.text", "abc", "test");
  facts.set_unknown("t.maybe", "not captured: xl info");
  return facts;
}

TEST(RuleEngine, AllIsFalseWhenAnyOperandIsFalseEvenWithUnknowns) {
  FactStore facts = logic_facts();
  EXPECT_EQ(status_of("{all: [$t.maybe, $t.no]}", facts), RuleStatus::kFail);
  EXPECT_EQ(status_of("{all: [$t.no, $t.maybe]}", facts), RuleStatus::kFail);
}

TEST(RuleEngine, AllIsUnknownWhenNothingIsFalseButSomethingIsUnknown) {
  FactStore facts = logic_facts();
  EXPECT_EQ(status_of("{all: [$t.yes, $t.maybe, true]}", facts), RuleStatus::kUnknown);
}

TEST(RuleEngine, AnyIsTrueWhenAnyOperandIsTrueEvenWithUnknowns) {
  FactStore facts = logic_facts();
  EXPECT_EQ(status_of("{any: [$t.maybe, $t.yes]}", facts), RuleStatus::kPass);
}

TEST(RuleEngine, AnyIsUnknownWhenNothingIsTrueButSomethingIsUnknown) {
  FactStore facts = logic_facts();
  EXPECT_EQ(status_of("{any: [$t.no, $t.maybe]}", facts), RuleStatus::kUnknown);
}

TEST(RuleEngine, NotOfUnknownStaysUnknown) {
  FactStore facts = logic_facts();
  EXPECT_EQ(status_of("{not: {not: $t.maybe}}", facts), RuleStatus::kUnknown);
  EXPECT_EQ(status_of("{not: {all: [$t.no, $t.maybe]}}", facts), RuleStatus::kPass);
}

TEST(RuleEngine, ErrorInAnyOperandIsNeverHidden) {
  FactStore facts = logic_facts();
  EXPECT_EQ(status_of("{any: [$t.yes, {gt: [$t.text, 1]}]}", facts), RuleStatus::kError);
  EXPECT_EQ(status_of("{all: [$t.no, {gt: [$t.text, 1]}]}", facts), RuleStatus::kError);
}

TEST(RuleEngine, UnknownReasonsOfAllOperandsAreListedOnce) {
  FactStore facts = logic_facts();
  auto results = run_rules(one_rule("{all: [$t.maybe, {not: $t.maybe}, $t.gone]}"), facts);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].message, "Cannot tell whether test rule (fact t.maybe: not captured: xl info; fact t.gone was "
                                "not collected)");
}

// "Cannot tell: <title>" read like a finding when skimmed (UX review finding 32): the default says what is not known
// as a clause, lowercasing only an ordinary first word, never a name or an abbreviation.
TEST(RuleEngine, DefaultUnknownMessageTurnsTheTitleIntoAClause) {
  FactStore facts = logic_facts();
  auto unknown_message = [&facts](const std::string& title) {
    std::string yaml = "kind: rules\nrules:\n  - id: t.title\n    title: \"" + title +
                       "\"\n    severity: info\n    check: $t.maybe\n    message: {fail: x}\n";
    auto results = run_rules(yaml, facts);
    return results.size() == 1 ? results[0].message : std::string("no single result");
  };
  const std::string reason = " (fact t.maybe: not captured: xl info)";
  EXPECT_EQ(unknown_message("The running Xen release still gets security fixes"),
            "Cannot tell whether the running Xen release still gets security fixes" + reason);
  EXPECT_EQ(unknown_message("Xen can run HVM guests"), "Cannot tell whether Xen can run HVM guests" + reason);
  EXPECT_EQ(unknown_message("NVIDIA GeForce guests need R465"),
            "Cannot tell whether NVIDIA GeForce guests need R465" + reason);
  EXPECT_EQ(unknown_message("xen-pciback is built"), "Cannot tell whether xen-pciback is built" + reason);
  EXPECT_EQ(unknown_message("VT-x is on"), "Cannot tell whether VT-x is on" + reason);
}

// Three facts of one short config space are unknown for one reason: it is said once, naming the facts.
TEST(RuleEngine, FactsUnknownForTheSameReasonShareOneMention) {
  FactStore facts;
  facts.set_unknown("x.extra", "xl info: unreadable version");
  facts.set_unknown("x.major_minor", "xl info: unreadable version");
  facts.set_unknown("x.caps", "no xen_caps line");
  auto results = run_rules(one_rule("{all: [$x.extra, $x.caps, $x.major_minor]}"), facts);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].message, "Cannot tell whether test rule (facts x.extra and x.major_minor: xl info: unreadable "
                                "version; fact x.caps: no xen_caps line)");
}

TEST(RuleEngine, UnknownMessageTemplateIsFollowedByTheReason) {
  FactStore facts = logic_facts();
  std::string yaml = "kind: rules\nrules:\n  - id: t.unknown\n    title: T\n    severity: info\n"
                     "    check: $t.maybe\n    message: {fail: bad, unknown: Cannot read the flag}\n";
  auto results = run_rules(yaml, facts);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].message, "Cannot read the flag (fact t.maybe: not captured: xl info)");
}

TEST(RuleEngine, WhenFalseSkipsWithDefaultMessage) {
  FactStore facts = logic_facts();
  auto results = run_rules(one_rule("$t.no", "    when: $t.no\n"), facts);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, RuleStatus::kSkip);
  EXPECT_EQ(results[0].message, "not applicable on this host");
}

TEST(RuleEngine, WhenFalseUsesSkipMessage) {
  FactStore facts = logic_facts();
  std::string yaml = "kind: rules\nrules:\n  - id: t.skip\n    title: T\n    severity: info\n    when: $t.no\n"
                     "    check: $t.no\n    message: {fail: bad, skip: \"Xen is not running\"}\n";
  auto results = run_rules(yaml, facts);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, RuleStatus::kSkip);
  EXPECT_EQ(results[0].message, "Xen is not running");
}

TEST(RuleEngine, WhenUnknownMakesRuleUnknownWithoutRunningCheck) {
  FactStore facts = logic_facts();
  auto results = run_rules(one_rule("$t.yes", "    when: $t.maybe\n"), facts);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, RuleStatus::kUnknown);
  EXPECT_FALSE(results[0].facts.contains("t.yes"));
}

TEST(RuleEngine, WhenTrueRunsCheck) {
  FactStore facts = logic_facts();
  auto results = run_rules(one_rule("$t.no", "    when: $t.yes\n"), facts);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, RuleStatus::kFail);
  EXPECT_EQ(results[0].message, "failed");
}

TEST(RuleEngine, PassWithoutPassMessageShowsTitle) {
  FactStore facts = logic_facts();
  auto results = run_rules(one_rule("$t.yes"), facts);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].message, "Test rule");
}

TEST(RuleEngine, SomeOverUnknownElementsIsUnknownAndEveryWithAFalseIsFalse) {
  FactStore facts;
  facts.set("pci.devices", Json::array({{{"flr", true}}, {{"flr", nullptr}}, {{"flr", false}}}), "test");
  EXPECT_EQ(status_of("{some: {in: $pci.devices, as: d, check: {equals: [$d.flr, 1]}}}", facts),
            RuleStatus::kUnknown);
  EXPECT_EQ(status_of("{every: {in: $pci.devices, as: d, check: $d.flr}}", facts), RuleStatus::kFail);
  EXPECT_EQ(status_of("{some: {in: $pci.devices, as: d, check: $d.flr}}", facts), RuleStatus::kPass);
}

TEST(RuleEngine, QuantifierVariablesRecordAbsoluteFactPaths) {
  FactStore facts;
  facts.set("pci.devices", Json::array({{{"bdf", "0000:00:02.0"}}, {{"bdf", "0000:01:00.0"}}}), "test");
  auto results = run_rules(one_rule("{some: {in: $pci.devices, as: d, check: {equals: [$d.bdf, x]}}}"), facts);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].facts["pci.devices.0.bdf"], "0000:00:02.0");
  EXPECT_EQ(results[0].facts["pci.devices.1.bdf"], "0000:01:00.0");
  EXPECT_FALSE(results[0].facts.contains("pci.devices"));
}

}  // namespace
}  // namespace ptdoctor::testing
