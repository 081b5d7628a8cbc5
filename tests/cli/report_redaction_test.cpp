// --redact. redact_values rewrites a fact tree in place (it used to return a redacted copy, which held the tree
// twice): the same values must come out, checked against the copying version on random documents. Results' evidence
// refers into the fact tree instead of holding copies: what redaction changes is copied into the result, the tree
// every result and the report share is left as it was.
#include <gtest/gtest.h>

#include <random>

#include "cli/report_redaction.hpp"
#include "ptdoctor/rules.hpp"
#include "snapshot/redact.hpp"

namespace ptdoctor::cli {
namespace {

constexpr std::string_view kHost = "buildhost";

// The copying redaction as it was before it worked in place: the oracle.
Json copied_redaction(const Json& value) {
  if (value.is_string()) return snapshot::redact_text(value.get<std::string>(), kHost);
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& element : value) out.push_back(copied_redaction(element));
    return out;
  }
  if (value.is_object()) {
    Json out = Json::object();
    for (const auto& [key, member] : value.items()) {
      const bool identity = key.find("serial") != std::string::npos || key.find("uuid") != std::string::npos;
      out[key] = identity && !member.is_null() ? Json("REDACTED") : copied_redaction(member);
    }
    return out;
  }
  return value;
}

Json random_value(std::mt19937& random, int depth) {
  static const char* const kStrings[] = {"buildhost",
                                         "/home/alice/.config",
                                         "52:54:00:12:34:56",
                                         "123e4567-e89b-12d3-a456-426614174000",
                                         "plain text",
                                         "buildhost.example.org up 3 days",
                                         ""};
  static const char* const kKeys[] = {"serial", "board_serial", "uuid", "name", "path", "mac", "devices"};
  const int kind = static_cast<int>(random() % (depth > 3 ? 4 : 6));
  switch (kind) {
    case 0: return nullptr;
    case 1: return static_cast<int>(random() % 1000);
    case 2: return random() % 2 == 0;
    case 3: return kStrings[random() % std::size(kStrings)];
    case 4: {
      Json array = Json::array();
      for (int i = static_cast<int>(random() % 4); i > 0; --i) array.push_back(random_value(random, depth + 1));
      return array;
    }
    default: {
      Json object = Json::object();
      for (int i = static_cast<int>(random() % 5); i > 0; --i) {
        object[kKeys[random() % std::size(kKeys)]] = random_value(random, depth + 1);
      }
      return object;
    }
  }
}

TEST(RedactValues, InPlaceGivesWhatTheCopyingRedactionGaveOnRandomDocuments) {
  std::mt19937 random(12);
  for (int i = 0; i < 2000; ++i) {
    const Json original = random_value(random, 0);
    Json redacted = original;
    redact_values(redacted, kHost);
    ASSERT_EQ(redacted, copied_redaction(original)) << original.dump();
  }
}

TEST(RedactValues, ReplacesIdentityValuesWholeAndKeepsKeysAndUnknowns) {
  Json facts = {{"dmi", {{"board_serial", "ABC123"}, {"product_uuid", nullptr}}},
                {"hosts", {"buildhost", 7}},
                {"buildhost", true}};
  redact_values(facts, kHost);
  EXPECT_EQ(facts["dmi"]["board_serial"], "REDACTED");
  EXPECT_TRUE(facts["dmi"]["product_uuid"].is_null());  // unknown stays unknown: nothing to hide
  EXPECT_NE(facts["hosts"][0], "buildhost");
  EXPECT_EQ(facts["hosts"][1], 7);
  EXPECT_TRUE(facts.contains("buildhost"));  // keys are names, not values
}

std::vector<RuleResult> evaluate(const FactStore& store) {
  RuleSet rules;
  auto errors = rules.load_text("kind: rules\n"
                                "schema: 1\n"
                                "rules:\n"
                                "  - id: t.rule\n"
                                "    title: Test rule\n"
                                "    severity: info\n"
                                "    check: {all: [{exists: $xen.host}, {exists: $dmi.board_serial}, $cpu.vmx,\n"
                                "                  {exists: $xen.missing}]}\n"
                                "    message:\n"
                                "      fail: failed\n",
                                "t.yaml");
  for (const Error& error : errors) ADD_FAILURE() << error.message;
  return rules.evaluate(store);
}

TEST(ReportRedaction, RedactsEvidenceReferringIntoTheFactTreeAndLeavesTheTreeAlone) {
  FactStore store;
  store.set("xen.host", "built on myhost by root", "xl info");
  store.set("dmi.board_serial", "ABC123", "dmi");
  store.set("cpu.vmx", true, "cpuinfo");
  const std::shared_ptr<const Json> tree = store.shared_tree();
  RunReport report;
  report.results = evaluate(store);
  ASSERT_EQ(report.results.size(), 1u);
  RuleResult unredacted = report.results[0];
  report.fact_tree = store.shared_tree();

  redact_report(report, "myhost");
  const ResultFacts& facts = report.results[0].facts;
  EXPECT_EQ(facts["dmi.board_serial"], "REDACTED") << "a path naming a serial number is redacted whole";
  EXPECT_EQ(facts["xen.host"].get<std::string>().find("myhost"), std::string::npos) << facts["xen.host"];
  EXPECT_EQ(facts["cpu.vmx"], true);
  EXPECT_EQ(&facts["cpu.vmx"], store.find("cpu.vmx")) << "what redaction does not change is not copied";
  EXPECT_TRUE(facts.contains("xen.missing"));
  EXPECT_TRUE(facts["xen.missing"].is_null());
  // The shared tree, the store and a result copied before are as they were.
  EXPECT_EQ((*tree)["xen"]["host"], "built on myhost by root");
  EXPECT_EQ(*store.find("dmi.board_serial"), "ABC123");
  EXPECT_EQ(unredacted.facts["xen.host"], "built on myhost by root");
  EXPECT_EQ(report.facts()["dmi"]["board_serial"], "REDACTED");
}

TEST(ReportRedaction, EvidenceOfARedactedReportOutlivesTheStore) {
  RunReport report;
  {
    FactStore store;
    store.set("xen.host", "myhost", "xl info");
    store.set("dmi.board_serial", "ABC123", "dmi");
    store.set("cpu.vmx", true, "cpuinfo");
    report.results = evaluate(store);
  }
  redact_report(report, "myhost");
  ASSERT_EQ(report.results.size(), 1u);
  Json redacted_host = "myhost";
  redact_values(redacted_host, "myhost");
  EXPECT_EQ(report.results[0].facts.to_json(),
            Json({{"cpu.vmx", true}, {"dmi.board_serial", "REDACTED"}, {"xen.host", redacted_host},
                  {"xen.missing", nullptr}}));
}

// The report shares the fact tree rather than copying it: an edit (redaction, a test's own change) copies it first,
// so no other holder sees the change, and an unshared tree is edited where it is.
TEST(ReportFacts, EditingOneReportsFactsLeavesTheStoreAndOtherCopiesAlone) {
  FactStore store;
  store.set("xen.host", "myhost", "xl info");
  RunReport report;
  report.fact_tree = store.shared_tree();
  RunReport copy = report;
  EXPECT_EQ(&copy.facts(), &report.facts()) << "a copy shares the tree";
  redact_report(report, "myhost");
  EXPECT_NE(report.facts()["xen"]["host"], "myhost");
  EXPECT_EQ(copy.facts()["xen"]["host"], "myhost");
  EXPECT_EQ(*store.find("xen.host"), "myhost");
  const Json* own = &report.facts();
  report.edit_facts()["cpu"] = Json::object();
  EXPECT_EQ(&report.facts(), own) << "a tree no one else holds is edited in place";
  EXPECT_FALSE(copy.facts().contains("cpu"));
}

}  // namespace
}  // namespace ptdoctor::cli
