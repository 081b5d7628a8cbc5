// RuleSet: loading files and directories, ids across files, describe() and recognise().
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <memory>

#include "rule_test_support.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string simple_rule(const std::string& id) {
  return "kind: rules\nrules:\n  - id: " + id + "\n    title: T\n    severity: info\n    check: true\n"
         "    message: {fail: x}\n";
}

std::string sample_path() { return source_path("tests/rules/data/sample.yaml"); }

TEST(RuleSet, LoadsASampleFileAndEvaluatesIt) {
  RuleSet rules;
  auto errors = rules.load(sample_path());
  for (const Error& error : errors) ADD_FAILURE() << error.message;
  EXPECT_THAT(rules.ids(), ElementsAre("xen.pciback-loaded", "pci.devices-seen"));
  FactStore facts;
  facts.set("xen.running", true, "xl info");
  facts.set("kernel.pciback.loaded", false, "/proc/modules");
  facts.set("kernel.pciback.builtin", false, "/lib/modules");
  auto results = rules.evaluate(facts);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].status, RuleStatus::kFail);
  EXPECT_EQ(results[0].message, "xen-pciback is neither loaded nor built in");
  EXPECT_EQ(results[0].source, sample_path() + ":5");
  EXPECT_EQ(results[0].facts.to_json(), Json({{"xen.running", true}, {"kernel.pciback.loaded", false},
                                              {"kernel.pciback.builtin", false}}));
  EXPECT_EQ(results[1].status, RuleStatus::kUnknown);
}

// The evidence points into the fact store's tree (nothing copied), and the result keeps that tree alive, so it
// outlives the store, as a report does.
TEST(RuleSet, EvidenceOutlivesTheFactStore) {
  RuleSet rules;
  ASSERT_TRUE(rules.load(sample_path()).empty());
  std::vector<RuleResult> results;
  {
    auto facts = std::make_unique<FactStore>();
    facts->set("xen.running", true, "xl info");
    facts->set("kernel.pciback.loaded", false, "/proc/modules");
    facts->set("kernel.pciback.builtin", std::string(300, 'x'), "/lib/modules");
    results = rules.evaluate(*facts);
  }
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].facts.to_json(), Json({{"xen.running", true}, {"kernel.pciback.loaded", false},
                                              {"kernel.pciback.builtin", std::string(300, 'x')}}));
}

TEST(RuleSet, DescribeListsEveryDocumentedKey) {
  RuleSet rules;
  ASSERT_TRUE(rules.load(sample_path()).empty());
  Json rule = rules.describe("xen.pciback-loaded");
  EXPECT_EQ(rule["id"], "xen.pciback-loaded");
  EXPECT_EQ(rule["title"], "xen-pciback is available in dom0");
  EXPECT_EQ(rule["severity"], "blocker");
  EXPECT_THAT(rule["why"].get<std::string>(), StartsWith("xl pci-assignable-add"));
  EXPECT_EQ(rule["check"], "{any: [$kernel.pciback.loaded, $kernel.pciback.builtin]}");
  EXPECT_EQ(rule["when"], "$xen.running");
  EXPECT_TRUE(rule["for_each"].is_null());
  EXPECT_EQ(rule["message"]["unknown"], "Cannot tell whether xen-pciback is loaded");
  ASSERT_EQ(rule["fixes"].size(), 2u);
  EXPECT_EQ(rule["fixes"][0], Json({{"text", "Load the module now with modprobe xen-pciback"}, {"action", nullptr}}));
  EXPECT_EQ(rule["fixes"][1]["action"], Json({{"generator", "module-load"}, {"module", "xen-pciback"}}));
  EXPECT_EQ(rule["refs"].size(), 2u);
  EXPECT_EQ(rule["recognises"].size(), 2u);
  EXPECT_EQ(rule["source"], sample_path() + ":5");
  EXPECT_EQ(rules.describe("pci.devices-seen")["check"], "{gt: [{length: $pci.devices}, 0]}");
  EXPECT_TRUE(rules.describe("no.such-rule").is_null());
  EXPECT_EQ(rules.describe_all().size(), 2u);
}

TEST(RuleSet, DescribeShowsForEachAndItsItemName) {
  RuleSet rules;
  std::string yaml = "kind: rules\nrules:\n  - id: gpu.x\n    title: T\n    severity: info\n"
                     "    for_each: $gpu.candidates\n    as: gpu\n    check: {equals: [$gpu.flr, true]}\n"
                     "    message: {fail: \"{gpu.bdf} has no FLR\"}\n";
  ASSERT_TRUE(rules.load_text(yaml, "g.yaml").empty());
  Json rule = rules.describe("gpu.x");
  EXPECT_EQ(rule["for_each"], "$gpu.candidates");
  EXPECT_EQ(rule["as"], "gpu");
  EXPECT_EQ(rule["check"], "{equals: [$gpu.flr, true]}");
  EXPECT_EQ(rule["message"], Json({{"fail", "{gpu.bdf} has no FLR"}}));
  EXPECT_TRUE(rule["why"].is_null());
  EXPECT_TRUE(rule["when"].is_null());
  EXPECT_EQ(rule["source"], "g.yaml:3");
}

TEST(RuleSet, RecognisesPastedMessagesCaseInsensitively) {
  RuleSet rules;
  ASSERT_TRUE(rules.load(sample_path()).empty());
  EXPECT_THAT(rules.recognise("libxl: error: Looks like pciback driver is not loaded"),
              ElementsAre("xen.pciback-loaded"));
  EXPECT_THAT(rules.recognise("PCIBACK module NOT LOADED"), ElementsAre("xen.pciback-loaded"));
  EXPECT_TRUE(rules.recognise("something else entirely").empty());
  // Only the start of a huge paste is searched.
  EXPECT_TRUE(rules.recognise(std::string(5000, 'x') + "pciback not loaded").empty());
}

TEST(RuleSet, DirectoryLoadsYamlAndYmlSortedSkipsDataFilesAndSubdirectories) {
  TempTree tree;
  tree.write("/rules/b.yml", simple_rule("b.rule"));
  tree.write("/rules/a.yaml", simple_rule("a.rule"));
  tree.write("/rules/gpu-quirks.yaml", "kind: gpu-quirks\nquirks: []\n");
  tree.write("/rules/hwdb.yaml", "kind: hwdb\nentries: []\n");
  tree.write("/rules/notes.txt", "not yaml: [");
  tree.write("/rules/hwdb/c.yaml", simple_rule("c.rule"));
  RuleSet rules;
  auto errors = rules.load(tree.at("/rules"));
  for (const Error& error : errors) ADD_FAILURE() << error.message;
  EXPECT_THAT(rules.ids(), ElementsAre("a.rule", "b.rule"));
}

TEST(RuleSet, BrokenFileContributesNothingButOtherFilesLoad) {
  TempTree tree;
  tree.write("/rules/a.yaml", simple_rule("a.rule") + "  - id: a.bad\n    title: T\n    severity: oops\n"
                                                     "    check: true\n    message: {fail: x}\n");
  tree.write("/rules/b.yaml", simple_rule("b.rule"));
  RuleSet rules;
  auto errors = rules.load(tree.at("/rules"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0].message, StartsWith(tree.at("/rules/a.yaml") + ":10:15: severity 'oops'"));
  EXPECT_THAT(rules.ids(), ElementsAre("b.rule"));
}

TEST(RuleSet, DuplicateIdAcrossFilesNamesBothPlaces) {
  TempTree tree;
  std::string first = tree.write("/rules/a.yaml", simple_rule("x.same"));
  std::string second = tree.write("/rules/b.yaml", "# second\n" + simple_rule("x.same"));
  RuleSet rules;
  auto errors = rules.load(tree.at("/rules"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, second + ":4:5: rule id 'x.same' is already defined at " + first +
                                   ":3:5; rule ids must be unique across all rule files");
  EXPECT_THAT(rules.ids(), ElementsAre("x.same"));
  EXPECT_EQ(rules.describe("x.same")["source"], first + ":3");
}

TEST(RuleSet, DuplicateIdAcrossLoadTextCalls) {
  RuleSet rules;
  ASSERT_TRUE(rules.load_text(simple_rule("x.same"), "first.yaml").empty());
  auto errors = rules.load_text(simple_rule("x.same"), "second.yaml");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0].message, HasSubstr("second.yaml:3:5: rule id 'x.same' is already defined at first.yaml:3:5"));
}

TEST(RuleSet, MissingPathIsNotFound) {
  RuleSet rules;
  auto errors = rules.load("/nonexistent/ptdoctor-rules");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].kind, ErrorKind::kNotFound);
  EXPECT_THAT(errors[0].message, HasSubstr("/nonexistent/ptdoctor-rules"));
}

TEST(RuleSet, DataFileGivenExplicitlyIsAnError) {
  TempTree tree;
  std::string path = tree.write("/rules/gpu-quirks.yaml", "kind: gpu-quirks\nquirks: []\n");
  RuleSet rules;
  auto errors = rules.load(path);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0].message, StartsWith(path + ":1:7: this is a gpu-quirks data file"));
}

TEST(RuleSet, ShippedRuleFilesLoadWithoutErrors) {
  RuleSet rules;
  auto errors = rules.load(source_path("rules"));
  for (const Error& error : errors) ADD_FAILURE() << error.message;
  // Data files are skipped, rule files are not: every topic file contributes (tests/rules/cases pins each rule).
  EXPECT_GT(rules.size(), 50u);
  for (const char* id : {"cpu.nested-guest", "gpu.present", "iommu.firmware-table", "kernel.pciback-loaded",
                         "pci.devices-read", "usb.companions-together", "xen.iommu-enabled"}) {
    EXPECT_FALSE(rules.describe(id).is_null()) << id;
  }
}

}  // namespace
}  // namespace ptdoctor::testing
