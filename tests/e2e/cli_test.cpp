// The command line as users and scripts meet it: help, version, usage errors, output files.
#include <regex>

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

// sysexits(3): an input the user named that cannot be opened is EX_NOINPUT (66), not a usage error.
TEST(Cli, UnreadableRootIsANoInputErrorNamingIt) {
  auto result = run_ptdoctor({"check", "--root", "/nonexistent/ptdoctor-root"});
  EXPECT_EQ(result.exit_code, 66);
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
  auto quiet = run_ptdoctor({"check", "--root", fixture_host("empty"), "--format", "json"});
  auto result = run_ptdoctor({"check", "--root", fixture_host("empty"), "--format", "json", "-v", "-v"});
  Json report = parse_json_output(result);
  EXPECT_TRUE(report.contains("verdict"));
  // -v -v logs (to stderr only: stdout stays one JSON document, the same one as without -v).
  EXPECT_GT(result.err.size(), quiet.err.size()) << result.err;
  Json plain = parse_json_output(quiet);
  EXPECT_EQ(report["verdict"], plain["verdict"]);
  EXPECT_EQ(report["results"], plain["results"]);  // the same judgement; timestamps and timings differ
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

// `facts` streams its document instead of building it as one string; to a file or to stdout, the bytes are those
// of the document dumped with an indent of 2, ending in one newline.
TEST(Cli, FactsToAFileAndToStdoutAreTheSameIndentedDocument) {
  TempTree tree;
  std::string out = tree.at("/facts.json");
  auto to_stdout = run_ptdoctor({"facts", "--root", fixture_host("dual-gpu")});
  auto to_file = run_ptdoctor({"facts", "--root", fixture_host("dual-gpu"), "-o", out});
  ASSERT_EQ(to_stdout.exit_code, 0) << to_stdout.err;
  ASSERT_EQ(to_file.exit_code, 0) << to_file.err;
  EXPECT_TRUE(to_file.out.empty());
  // Each plugin's run time differs between two runs.
  const std::regex run_time("\"milliseconds\": [0-9.e+-]+");
  const std::string printed = std::regex_replace(to_stdout.out, run_time, "\"milliseconds\": 0");
  const std::string written = std::regex_replace(tree.read("/facts.json"), run_time, "\"milliseconds\": 0");
  EXPECT_EQ(written, printed);
  Json document = Json::parse(printed, nullptr, false);
  ASSERT_FALSE(document.is_discarded());
  EXPECT_EQ(printed, document.dump(2) + "\n");
  EXPECT_GT(document["facts"]["pci"]["devices"].size(), 1u);
}

TEST(Cli, EmptyTreeCannotBeJudged) {
  auto result = run_ptdoctor({"check", "--root", fixture_host("empty"), "--format", "json"});
  Json report = parse_json_output(result);
  EXPECT_EQ(result.exit_code, 3) << result.out;
  EXPECT_EQ(report.value("verdict", ""), "cannot-judge");
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

// The README's example: a pasted libxl error is recognised by the shipped rules (not a test rule file).
TEST(Cli, ExplainRecognisesThePastedLibxlErrorOfTheReadme) {
  auto explained = run_ptdoctor({"explain", "libxl: error: libxl_pci.c:1484: Looks like pciback driver is not loaded"});
  EXPECT_EQ(explained.exit_code, 0) << explained.err;
  EXPECT_NE(explained.out.find("kernel.pciback-loaded"), std::string::npos) << explained.out;
}

TEST(Cli, ColourOnlyOnATerminal) {
  // stdout is a file here: no escape codes, even when asked for nothing special.
  auto result = run_ptdoctor({"check", "--root", fixture_host("empty")});
  EXPECT_EQ(result.out.find("\x1b["), std::string::npos);
  // On a terminal (script(1) of util-linux gives it one) the report is coloured, unless NO_COLOR or --no-color.
  auto on_terminal = [](const std::string& prefix, const std::string& flags) {
    std::string command = prefix + " script -qefc '" + std::string(PTDOCTOR_BIN) + " check --root " +
                          fixture_host("empty") + flags + "' /dev/null";
    return run_ptdoctor({"-c", command}, {}, {}, "sh").out;
  };
  EXPECT_NE(on_terminal("", "").find("\x1b["), std::string::npos);
  EXPECT_EQ(on_terminal("NO_COLOR=1", "").find("\x1b["), std::string::npos);
  EXPECT_EQ(on_terminal("", " --no-color").find("\x1b["), std::string::npos);
}

}  // namespace
}  // namespace ptdoctor::testing
