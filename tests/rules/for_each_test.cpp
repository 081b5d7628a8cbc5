// for_each: one result per item, subjects, the item under its `as:` name, and the missing/empty/non-list cases.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

namespace ptdoctor::testing {
namespace {

const char* kPerGpuRule = R"(kind: rules
schema: 1
rules:
  - id: gpu.flr
    title: The GPU can be reset
    severity: warning
    for_each: $gpu.candidates
    as: gpu
    subject: "{gpu.bdf}"
    check: {equals: [$gpu.flr, true]}
    message:
      pass: "{gpu.name} at {item.bdf} supports FLR"
      fail: "{gpu.name} has no FLR; functions: {gpu.functions}"
    why: Without a reset the GPU may not work after the guest restarts.
    fix:
      - "Check {gpu.bdf} for a bus reset"
      - text: Hide the GPU from dom0
        action: {generator: pciback-hide, bdfs: "{gpu.functions}"}
    refs: ["REFERENCE.md §7"]
)";

FactStore gpus() {
  FactStore facts;
  facts.set("gpu.candidates",
            Json::array({{{"bdf", "0000:01:00.0"}, {"name", "Radeon"}, {"flr", true},
                          {"functions", Json::array({"0000:01:00.0", "0000:01:00.1"})}},
                         {{"bdf", "0000:02:00.0"}, {"name", "GeForce"}, {"flr", false}, {"functions", Json::array()}},
                         {{"bdf", "0000:03:00.0"}, {"name", "Arc"}}}),
            "test");
  return facts;
}

TEST(RuleEngine, ForEachGivesOneResultPerItemWithItsSubject) {
  FactStore facts = gpus();
  auto results = run_rules(kPerGpuRule, facts);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].subject, "0000:01:00.0");
  EXPECT_EQ(results[0].status, RuleStatus::kPass);
  EXPECT_EQ(results[0].message, "Radeon at 0000:01:00.0 supports FLR");
  EXPECT_EQ(results[1].subject, "0000:02:00.0");
  EXPECT_EQ(results[1].status, RuleStatus::kFail);
  EXPECT_EQ(results[1].message, "GeForce has no FLR; functions: ");
  EXPECT_EQ(results[2].status, RuleStatus::kUnknown);
  EXPECT_NE(results[2].message.find("fact gpu.candidates.2.flr was not collected"), std::string::npos)
      << results[2].message;
}

TEST(RuleEngine, ForEachResultRecordsItemFactsByAbsolutePath) {
  FactStore facts = gpus();
  auto results = run_rules(kPerGpuRule, facts);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[1].facts["gpu.candidates.1.flr"], false);
  EXPECT_EQ(results[1].facts["gpu.candidates.1.name"], "GeForce");
  EXPECT_FALSE(results[1].facts.contains("gpu.candidates.0.flr"));
  EXPECT_FALSE(results[1].facts.contains("gpu.candidates")) << "the whole list is not copied into every result";
  EXPECT_EQ(results[1].source, "t.yaml:4");
}

TEST(RuleEngine, FixTextsAreRenderedPerItemAndActionsKeptAsWritten) {
  FactStore facts = gpus();
  auto results = run_rules(kPerGpuRule, facts);
  ASSERT_EQ(results.size(), 3u);
  ASSERT_EQ(results[0].fixes.size(), 2u);
  EXPECT_EQ(results[0].fixes[0].text, "Check 0000:01:00.0 for a bus reset");
  EXPECT_TRUE(results[0].fixes[0].action.is_null());
  EXPECT_EQ(results[0].fixes[1].text, "Hide the GPU from dom0");
  EXPECT_EQ(results[0].fixes[1].action, Json({{"generator", "pciback-hide"}, {"bdfs", "{gpu.functions}"}}));
  EXPECT_EQ(results[0].why, "Without a reset the GPU may not work after the guest restarts.");
  EXPECT_EQ(results[0].refs, std::vector<std::string>{"REFERENCE.md §7"});
  EXPECT_EQ(results[0].severity, Severity::kWarning);
}

TEST(RuleEngine, ForEachOverMissingListGivesOneUnknownResult) {
  FactStore facts;
  facts.set_unknown("gpu", "the devices plugin failed");
  auto results = run_rules(kPerGpuRule, facts);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, RuleStatus::kUnknown);
  EXPECT_EQ(results[0].subject, "");
  EXPECT_NE(results[0].message.find("the devices plugin failed"), std::string::npos) << results[0].message;
  EXPECT_TRUE(results[0].facts["gpu.candidates"].is_null());
}

TEST(RuleEngine, ForEachOverEmptyListGivesOneSkipResult) {
  FactStore facts;
  facts.set("gpu.candidates", Json::array(), "test");
  auto results = run_rules(kPerGpuRule, facts);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, RuleStatus::kSkip);
  EXPECT_EQ(results[0].message, "nothing to check: gpu.candidates is empty");
  EXPECT_EQ(results[0].facts["gpu.candidates"], Json::array());
}

TEST(RuleEngine, ForEachOverNonListIsAnError) {
  FactStore facts;
  facts.set("gpu.candidates", "0000:01:00.0", "test");
  auto results = run_rules(kPerGpuRule, facts);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, RuleStatus::kError);
}

TEST(RuleEngine, ItemIsAlsoBoundAsItemAndDefaultSubjectIsItsBdf) {
  FactStore facts = gpus();
  std::string yaml = "kind: rules\nrules:\n  - id: gpu.named\n    title: T\n    severity: info\n"
                     "    for_each: $gpu.candidates\n    check: {exists: $item.name}\n    message: {fail: no name}\n";
  auto results = run_rules(yaml, facts);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[2].subject, "0000:03:00.0");
  EXPECT_EQ(results[2].status, RuleStatus::kPass);
}

// A host-wide rule about one device names it as its subject, so `jq 'select(.subject=="0000:03:00.0")'` finds it
// with the per-item results; without that device the subject is empty (null in JSON), never "?".
TEST(RuleEngine, HostWideSubjectNamesTheDeviceOrNothing) {
  std::string yaml = "kind: rules\nrules:\n  - id: gpu.about-target\n    title: T\n    severity: info\n"
                     "    subject: \"{gpu.target}\"\n    check: {exists: $gpu.target}\n    message: {fail: no target}\n";
  FactStore with_target;
  with_target.set("gpu.target", "0000:03:00.0", "test");
  auto results = run_rules(yaml, with_target);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].subject, "0000:03:00.0");
  FactStore without_target;
  without_target.set("gpu.count", 0, "test");
  results = run_rules(yaml, without_target);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].subject, "");
}

TEST(RuleEngine, DefaultSubjectOfTextItemsIsTheText) {
  FactStore facts;
  facts.set("xen.assignable", Json::array({"0000:01:00.0", "0000:01:00.1"}), "test");
  std::string yaml = "kind: rules\nrules:\n  - id: xen.assignable-ok\n    title: T\n    severity: info\n"
                     "    for_each: $xen.assignable\n    check: {matches: [$item, \"^0000:01\"]}\n"
                     "    message: {fail: \"{item} is elsewhere\"}\n";
  auto results = run_rules(yaml, facts);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[1].subject, "0000:01:00.1");
  EXPECT_EQ(results[1].status, RuleStatus::kPass);
  EXPECT_EQ(results[1].facts["xen.assignable.1"], "0000:01:00.1");
}

TEST(RuleEngine, WhenThatNamesTheItemIsEvaluatedPerItem) {
  FactStore facts = gpus();
  std::string yaml = "kind: rules\nrules:\n  - id: gpu.nvidia\n    title: T\n    severity: info\n"
                     "    for_each: $gpu.candidates\n    when: {equals: [$item.name, GeForce]}\n"
                     "    check: {equals: [$item.flr, true]}\n    message: {fail: no flr}\n";
  auto results = run_rules(yaml, facts);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].status, RuleStatus::kSkip);
  EXPECT_EQ(results[1].status, RuleStatus::kFail);
  EXPECT_EQ(results[2].status, RuleStatus::kSkip);
}

TEST(RuleEngine, HostWideWhenIsEvaluatedOnceBeforeTheList) {
  FactStore facts;
  facts.set("xen.running", false, "test");
  std::string yaml = "kind: rules\nrules:\n  - id: xen.each\n    title: T\n    severity: info\n"
                     "    for_each: $xen.assignable\n    when: $xen.running\n"
                     "    check: {exists: $item}\n    message: {fail: x}\n";
  auto results = run_rules(yaml, facts);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, RuleStatus::kSkip);
}

TEST(RuleEngine, AsNameShadowsTheFactNamespaceOfTheSameName) {
  FactStore facts = gpus();
  facts.set("gpu.name", "host-wide", "test");
  auto results = run_rules(kPerGpuRule, facts);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].message, "Radeon at 0000:01:00.0 supports FLR");
}

}  // namespace
}  // namespace ptdoctor::testing
