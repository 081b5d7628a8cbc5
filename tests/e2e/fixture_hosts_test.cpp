// Every generated fixture host is judged end to end, and the answer must be the one a Xen expert gives: the
// verdict, the exit code and the exact sets of failing blockers and warnings written next to the generators in
// tests/fixtures/hostgen/expected.yaml, each with its reason.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "e2e_util.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

const char* const kExpected = PTDOCTOR_SOURCE_DIR "/tests/fixtures/hostgen/expected.yaml";

struct Expectation {
  std::string verdict;
  std::vector<std::string> args;
  std::set<std::string> blockers;
  std::set<std::string> warnings;
};

std::set<std::string> id_set(const YAML::Node& list) {
  std::set<std::string> ids;
  for (const YAML::Node& id : list) ids.insert(id.as<std::string>());
  return ids;
}

const YAML::Node& expectations() {
  static const YAML::Node document = YAML::LoadFile(kExpected);
  return document;
}

Expectation expectation_for(const std::string& host) {
  Expectation expected;
  const YAML::Node entry = expectations()["hosts"][host];
  if (!entry) {
    ADD_FAILURE() << "no expectation for fixture host " << host << " in " << kExpected;
    return expected;
  }
  expected.verdict = entry["verdict"].as<std::string>();
  for (const YAML::Node& arg : entry["args"]) expected.args.push_back(arg.as<std::string>());
  expected.blockers = id_set(entry["blockers"]);
  expected.warnings = id_set(entry["warnings"]);
  return expected;
}

int exit_code_of(const std::string& verdict) {
  if (verdict == "ready") return 0;
  if (verdict == "ready-with-warnings") return 1;
  if (verdict == "not-ready") return 2;
  if (verdict == "cannot-judge") return 3;
  ADD_FAILURE() << "not a verdict: " << verdict;
  return -1;
}

std::set<std::string> failing(const Json& report, const std::string& severity) {
  std::set<std::string> ids;
  for (const Json& result : report["results"]) {
    if (result.value("status", "") == "fail" && result.value("severity", "") == severity) {
      ids.insert(result.value("rule", ""));
    }
  }
  return ids;
}

std::string listed(const std::set<std::string>& ids) {
  std::string text;
  for (const std::string& id : ids) text += (text.empty() ? "" : ", ") + id;
  return "{" + text + "}";
}

class FixtureHost : public ::testing::TestWithParam<std::string> {};

TEST_P(FixtureHost, VerdictAndFailingRulesAreTheExperts) {
  Expectation expected = expectation_for(GetParam());
  std::vector<std::string> args = {"check", "--root", fixture_host(GetParam()), "--format", "json"};
  args.insert(args.end(), expected.args.begin(), expected.args.end());
  auto result = run_ptdoctor(args);
  EXPECT_EQ(result.exit_code, exit_code_of(expected.verdict)) << result.err;
  Json report = parse_json_output(result);
  EXPECT_EQ(report.value("verdict", ""), expected.verdict);
  EXPECT_EQ(listed(failing(report, "blocker")), listed(expected.blockers)) << "failing blockers";
  EXPECT_EQ(listed(failing(report, "warning")), listed(expected.warnings)) << "failing warnings";
  EXPECT_EQ(schema_problems(result.out), "");
  for (const Json& plugin : report["plugins"]) {
    EXPECT_TRUE(plugin.value("ok", false)) << plugin.dump();
  }
}

// The text and Markdown reports say the same verdict (same exit code) and name every failing blocker and warning.
TEST_P(FixtureHost, MarkdownAndTextRenderTheSameJudgement) {
  Expectation expected = expectation_for(GetParam());
  for (const char* format : {"text", "markdown"}) {
    std::vector<std::string> args = {"check", "--root", fixture_host(GetParam()), "--format", format, "--no-color"};
    args.insert(args.end(), expected.args.begin(), expected.args.end());
    auto result = run_ptdoctor(args);
    EXPECT_EQ(result.exit_code, exit_code_of(expected.verdict)) << format << "\n" << result.err;
    for (const auto* ids : {&expected.blockers, &expected.warnings}) {
      for (const std::string& id : *ids) EXPECT_NE(result.out.find(id), std::string::npos) << format << ": " << id;
    }
  }
}

TEST_P(FixtureHost, FactsAreJsonWithProvenance) {
  auto result = run_ptdoctor({"facts", "--root", fixture_host(GetParam())});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  Json facts = parse_json_output(result);
  EXPECT_TRUE(facts.contains("facts"));
  EXPECT_TRUE(facts.contains("provenance"));
  // The same name as the check JSON report's map (docs/report-format.md), so one jq filter reads both.
  EXPECT_TRUE(facts.contains("unknown_reasons"));
  EXPECT_FALSE(facts.contains("unknown"));
}

// `--root build/fixtures/hosts/x` from the build directory, as a user types it: the same facts as the absolute
// path. (The pci plugin hands libpci links in a temporary directory; relative targets there pointed nowhere, and
// hosts whose sysfs needs that shadow tree, such as broken, lost every PCI device.)
TEST_P(FixtureHost, ARelativeRootGivesTheSameFacts) {
  const std::string absolute = fixture_host(GetParam());
  const std::string relative = std::filesystem::relative(absolute).string();
  ASSERT_NE(relative.front(), '/');
  // The facts name the root as given in a few provenance texts ("cpuid capture ROOT/.ptdoctor/..."); blank it.
  auto facts_text = [](const std::string& root) {
    Json facts = parse_json_output(run_ptdoctor({"facts", "--root", root}));
    std::string text = facts.value("facts", Json()).dump(1);
    for (std::size_t at; (at = text.find(root)) != std::string::npos;) text.replace(at, root.size(), "<ROOT>");
    return text;
  };
  const std::string by_absolute = facts_text(absolute);
  const std::string by_relative = facts_text(relative);
  ASSERT_GT(by_absolute.size(), 100u);
  if (by_relative != by_absolute) {
    std::size_t at = 0;
    while (at < by_relative.size() && at < by_absolute.size() && by_relative[at] == by_absolute[at]) ++at;
    const std::size_t from = at > 300 ? at - 300 : 0;
    ADD_FAILURE() << "the facts differ from here on; relative root:\n" << by_relative.substr(from, 600)
                  << "\nabsolute root:\n" << by_absolute.substr(from, 600);
  }
}

const std::vector<std::string>& fixture_hosts() {
  static const std::vector<std::string> hosts = {"guide-ich10", "intel-modern", "amd-desktop", "server-multi-drhd",
                                                 "dual-gpu", "xhci-only", "ehci-keyboard", "broken", "empty",
                                                 "hide-defeated", "kvm-habit", "usb-own-rmrr", "polaris-no-reset",
                                                 "empty-replace", "guide-domu-421", "guide-domu-rmrr", "domu-lint",
                                                 "x58-xen-default", "pvh-only-kernel", "xen-no-iommu",
                                                 "xen-iommu-off-then-on", "vtx-off-wrapped",
                                                 "core2-no-hvm-paging", "ryzen-x570-xen417"};
  return hosts;
}

INSTANTIATE_TEST_SUITE_P(Hosts, FixtureHost, ::testing::ValuesIn(fixture_hosts()), [](const auto& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
});

// A new fixture host needs its expert verdict: the hosts make_host_roots.py builds, the hosts judged here and the
// hosts of expected.yaml are the same set.
TEST(FixtureHosts, EveryGeneratedHostHasAnExpertVerdict) {
  std::ifstream in(PTDOCTOR_SOURCE_DIR "/tests/fixtures/make_host_roots.py");
  std::stringstream text;
  text << in.rdbuf();
  std::string source = text.str();
  std::string table = source.substr(source.find("HOSTS = {"));
  table = table.substr(0, table.find("\n}\n"));
  std::set<std::string> generated;
  static const std::regex kName("\n    \"([a-z0-9-]+)\":");
  for (auto it = std::sregex_iterator(table.begin(), table.end(), kName); it != std::sregex_iterator(); ++it) {
    generated.insert((*it)[1].str());
  }
  std::set<std::string> judged(fixture_hosts().begin(), fixture_hosts().end());
  std::set<std::string> expected;
  for (const auto& entry : expectations()["hosts"]) expected.insert(entry.first.as<std::string>());
  EXPECT_EQ(listed(judged), listed(generated));
  EXPECT_EQ(listed(expected), listed(generated));
}

}  // namespace
}  // namespace ptdoctor::testing
