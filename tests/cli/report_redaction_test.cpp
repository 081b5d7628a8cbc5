// --redact on results whose evidence refers into the fact tree instead of holding copies: what redaction changes is
// copied into the result, the tree every result and the report share is left as it was.
#include <gtest/gtest.h>

#include "cli/report_redaction.hpp"
#include "ptdoctor/rules.hpp"

namespace ptdoctor::cli {
namespace {

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
  report.facts = store.tree();

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
  EXPECT_EQ(report.facts["dmi"]["board_serial"], "REDACTED");
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
  EXPECT_EQ(report.results[0].facts.to_json(),
            Json({{"cpu.vmx", true}, {"dmi.board_serial", "REDACTED"}, {"xen.host", redact_values("myhost", "myhost")},
                  {"xen.missing", nullptr}}));
}

}  // namespace
}  // namespace ptdoctor::cli
