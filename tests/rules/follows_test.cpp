// follows: a rule may name the rule it is a consequence of; loading checks the link, evaluation folds the
// consequences of a failed cause under it (caused_by), so reports can say "1 cause, N consequences".
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include "rule_test_support.hpp"

namespace ptdoctor::testing {
namespace {

using ::testing::HasSubstr;

// A blocker rule `id` that passes when fact `f.<fact>` is true (a fact path needs a namespace), optionally
// following `follows`.
std::string rule(const std::string& id, const std::string& fact, const std::string& follows = "") {
  return "  - id: " + id + "\n    title: " + id + "\n    severity: blocker\n    why: because\n" +
         (follows.empty() ? "" : "    follows: " + follows + "\n") + "    check: $f." + fact +
         "\n    message: {fail: " + id + " failed}\n";
}

std::string file(const std::string& rules) { return "kind: rules\nrules:\n" + rules; }

const RuleResult& result_of(const std::vector<RuleResult>& results, const std::string& id) {
  for (const RuleResult& result : results) {
    if (result.rule_id == id) return result;
  }
  throw std::runtime_error("no result for " + id);
}

TEST(Follows, AConsequenceOfAFailedCauseNamesTheRootCause) {
  // xen.running fails; kernel.dom0 follows it and fails; gpu.held follows kernel.dom0 and fails too.
  std::string yaml = file(rule("gpu.held", "held", "kernel.dom0") + rule("kernel.dom0", "dom0", "xen.running") +
                          rule("xen.running", "xen") + rule("cpu.vmx", "vmx"));
  FactStore facts;
  facts.set("f.xen", false, "t");
  facts.set("f.dom0", false, "t");
  facts.set("f.held", false, "t");
  facts.set("f.vmx", false, "t");
  auto results = run_rules(yaml, facts);
  EXPECT_EQ(result_of(results, "xen.running").caused_by, "");
  EXPECT_EQ(result_of(results, "kernel.dom0").caused_by, "xen.running");
  EXPECT_EQ(result_of(results, "gpu.held").caused_by, "xen.running");  // the root, not the middle link
  EXPECT_EQ(result_of(results, "gpu.held").follows, "kernel.dom0");
  EXPECT_EQ(result_of(results, "cpu.vmx").caused_by, "");  // no follows: a cause of its own
}

TEST(Follows, WhenTheCausePassesTheFailureIsItsOwnCause) {
  std::string yaml = file(rule("xen.running", "xen") + rule("kernel.dom0", "dom0", "xen.running") +
                          rule("gpu.held", "held", "kernel.dom0"));
  FactStore facts;
  facts.set("f.xen", true, "t");
  facts.set("f.dom0", false, "t");
  facts.set("f.held", false, "t");
  auto results = run_rules(yaml, facts);
  EXPECT_EQ(result_of(results, "kernel.dom0").caused_by, "");
  EXPECT_EQ(result_of(results, "gpu.held").caused_by, "kernel.dom0");  // the chain stops at the first that passed
}

TEST(Follows, AnUnknownCauseStillGathersItsConsequencesAndPassesAreNeverFolded) {
  std::string yaml = file(rule("xen.running", "xen") + rule("kernel.dom0", "dom0", "xen.running") +
                          rule("kernel.other", "other", "xen.running"));
  FactStore facts;  // xen unknown (fact missing)
  facts.set("f.dom0", false, "t");
  facts.set("f.other", true, "t");
  auto results = run_rules(yaml, facts);
  EXPECT_EQ(result_of(results, "xen.running").status, RuleStatus::kUnknown);
  EXPECT_EQ(result_of(results, "kernel.dom0").caused_by, "xen.running");
  EXPECT_EQ(result_of(results, "kernel.other").status, RuleStatus::kPass);
  EXPECT_EQ(result_of(results, "kernel.other").caused_by, "");
}

TEST(Follows, MayNameARuleOfALaterFileInTheSameDirectoryLoad) {
  RuleSet rules;
  auto errors = rules.load_text(file(rule("kernel.dom0", "dom0", "xen.running")), "kernel.yaml");
  ASSERT_EQ(errors.size(), 1u);  // alone, the link is dangling...
  EXPECT_THAT(errors[0].message, HasSubstr("kernel.yaml:7: rule 'kernel.dom0' follows 'xen.running', which is "
                                           "not a loaded rule"));
  RuleSet both;  // ...but one text holding both rules, in either order, loads
  EXPECT_TRUE(both.load_text(file(rule("kernel.dom0", "dom0", "xen.running") + rule("xen.running", "xen")), "k.yaml")
                  .empty());
  EXPECT_EQ(both.describe("kernel.dom0")["follows"], "xen.running");
  EXPECT_TRUE(both.describe("xen.running")["follows"].is_null());
}

TEST(Follows, ACycleIsALoadErrorAndEvaluationStillEnds) {
  RuleSet rules;
  auto errors = rules.load_text(file(rule("a.one", "x", "a.two") + rule("a.two", "y", "a.one")), "c.yaml");
  ASSERT_FALSE(errors.empty());
  EXPECT_THAT(errors[0].message, HasSubstr("leads back to"));
  FactStore facts;
  facts.set("f.x", false, "t");
  facts.set("f.y", false, "t");
  auto results = rules.evaluate(facts);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_TRUE(results[0].caused_by.empty() || results[1].caused_by.empty());  // never both: no loop
}

TEST(Follows, ItselfOrAMalformedIdIsRejected) {
  EXPECT_THAT(load_errors(file(rule("a.one", "x", "a.one"))), ::testing::Contains(HasSubstr("cannot follow from itself")));
  EXPECT_THAT(load_errors(file(rule("a.one", "x", "\"Not An Id\""))), ::testing::Contains(HasSubstr("is not a rule id")));
}

}  // namespace
}  // namespace ptdoctor::testing
