// The command line as users and scripts meet it: help, version, usage errors, output files.
#include <gtest/gtest.h>

#include "e2e_util.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

TEST(Cli, VersionPrintsTheVersion) {
  auto result = run_ptdoctor({"--version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("ptdoctor "), std::string::npos);
}

TEST(Cli, HelpListsCommandsAndExamples) {
  auto result = run_ptdoctor({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  for (const char* word : {"check", "facts", "plugins", "rules", "explain", "Examples:", "Exit status"}) {
    EXPECT_NE(result.out.find(word), std::string::npos) << word;
  }
}

TEST(Cli, UnknownOptionIsAUsageError) {
  auto result = run_ptdoctor({"check", "--no-such-option"});
  EXPECT_EQ(result.exit_code, 64);
}

TEST(Cli, MissingCommandIsAUsageError) { EXPECT_EQ(run_ptdoctor({}).exit_code, 64); }

TEST(Cli, UnreadableRootIsAUsageErrorNamingIt) {
  auto result = run_ptdoctor({"check", "--root", "/nonexistent/ptdoctor-root"});
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_NE(result.err.find("/nonexistent/ptdoctor-root"), std::string::npos) << result.err;
}

TEST(Cli, InvalidRuleFileIsAUsageErrorWithFileLineColumn) {
  TempTree tree;
  std::string file = tree.write("/bad.yaml", "kind: rules\nschema: 1\nrules:\n  - id: x.y\n    title: t\n"
                                              "    severity: fatal\n    check: {equals: [$a.b, 1]}\n"
                                              "    message: {fail: f}\n    why: w\n");
  auto result = run_ptdoctor({"check", "--root", fixture_host("empty"), "--rules", file});
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_NE(result.err.find(file + ":6:"), std::string::npos) << result.err;
}

TEST(Cli, JsonGoesToStdoutAndLogsToStderr) {
  auto result = run_ptdoctor({"check", "--root", fixture_host("empty"), "--format", "json", "-v", "-v"});
  Json report = parse_json_output(result);
  EXPECT_TRUE(report.contains("verdict"));
}

TEST(Cli, OutputFileIsWrittenAndStdoutStaysEmpty) {
  TempTree tree;
  std::string out = tree.at("/report.json");
  auto result = run_ptdoctor({"check", "--root", fixture_host("empty"), "--format", "json", "-o", out});
  EXPECT_TRUE(result.out.empty());
  Json report = Json::parse(tree.read("/report.json"), nullptr, false);
  ASSERT_FALSE(report.is_discarded());
  EXPECT_EQ(report["exit_code"], result.exit_code);
}

TEST(Cli, EmptyTreeCannotBeJudged) {
  auto result = run_ptdoctor({"check", "--root", fixture_host("empty"), "--format", "json"});
  Json report = parse_json_output(result);
  EXPECT_EQ(result.exit_code, 3) << result.out;
  EXPECT_EQ(report.value("verdict", ""), "unknown");
}

TEST(Cli, PluginsListsEveryBuiltInPlugin) {
  auto result = run_ptdoctor({"plugins", "--json"});
  Json listing = parse_json_output(result);
  std::vector<std::string> names;
  for (const Json& plugin : listing["plugins"]) names.push_back(plugin.value("name", ""));
  for (const char* expected : {"cpu", "acpi", "kernel", "xen", "pci", "gpu", "usb"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
}

TEST(Cli, RulesAndExplainAgree) {
  auto rules = run_ptdoctor({"rules", "--json"});
  Json listing = parse_json_output(rules);
  ASSERT_TRUE(listing.is_array());
  ASSERT_FALSE(listing.empty());
  std::string id = listing[0].value("id", "");
  auto explained = run_ptdoctor({"explain", id});
  EXPECT_EQ(explained.exit_code, 0);
  EXPECT_NE(explained.out.find(id), std::string::npos);
  // Neither an id nor a known message: not a usage error, "no known cause" and exit 1 (explain_test.cpp).
  EXPECT_EQ(run_ptdoctor({"explain", "no.such-rule"}).exit_code, 1);
}

TEST(Cli, ColourOnlyOnATerminal) {
  // stdout is a file here: no escape codes, even when asked for nothing special.
  auto result = run_ptdoctor({"check", "--root", fixture_host("empty")});
  EXPECT_EQ(result.out.find("\x1b["), std::string::npos);
}

}  // namespace
}  // namespace ptdoctor::testing
