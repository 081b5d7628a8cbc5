// Every generated fixture host is judged end to end; the verdicts are what a Xen expert would give.
#include <gtest/gtest.h>

#include "e2e_util.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

class FixtureHost : public ::testing::TestWithParam<const char*> {};

TEST_P(FixtureHost, CheckProducesASchemaValidReportAndNeverCrashes) {
  auto result = run_ptdoctor({"check", "--root", fixture_host(GetParam()), "--format", "json"});
  EXPECT_TRUE(result.exit_code >= 0 && result.exit_code <= 3) << result.exit_code << "\n" << result.err;
  Json report = parse_json_output(result);
  EXPECT_EQ(schema_problems(result.out), "");
  for (const Json& plugin : report["plugins"]) {
    EXPECT_TRUE(plugin.value("ok", false)) << plugin.dump();
  }
}

TEST_P(FixtureHost, MarkdownAndTextRenderToo) {
  for (const char* format : {"text", "markdown"}) {
    auto result = run_ptdoctor({"check", "--root", fixture_host(GetParam()), "--format", format});
    EXPECT_TRUE(result.exit_code >= 0 && result.exit_code <= 3) << format << "\n" << result.err;
    EXPECT_FALSE(result.out.empty()) << format;
  }
}

TEST_P(FixtureHost, FactsAreJsonWithProvenance) {
  auto result = run_ptdoctor({"facts", "--root", fixture_host(GetParam())});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  Json facts = parse_json_output(result);
  EXPECT_TRUE(facts.contains("facts"));
  EXPECT_TRUE(facts.contains("provenance"));
  EXPECT_TRUE(facts.contains("unknown"));
}

INSTANTIATE_TEST_SUITE_P(Hosts, FixtureHost,
                         ::testing::Values("guide-ich10", "intel-modern", "amd-desktop", "server-multi-drhd",
                                           "dual-gpu", "xhci-only", "ehci-keyboard", "broken", "empty",
                                           "x58-xen-default", "pvh-only-kernel", "xen-no-iommu",
                                           "xen-iommu-off-then-on", "vtx-off-wrapped"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace ptdoctor::testing
