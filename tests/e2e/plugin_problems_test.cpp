// End to end: a plugin the rules need is missing, refused by the loader, or throws while collecting. Every report
// names it right under the verdict, the verdict is never READY, and no rule fails that did not fail with every
// plugin present: a broken install reads as "cannot tell", never as a false blocker (docs/report-format.md).
#include <filesystem>
#include <set>

#include <gtest/gtest.h>

#include "e2e_util.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

namespace fs = std::filesystem;

const std::string kHost = "intel-modern";

// The staged plugins without ptdoctor-NAME.so, and `replacement` (a test plugin) in its place when given.
class PluginDir {
 public:
  PluginDir(const std::string& without, const std::string& replacement = "") {
    for (const auto& entry : fs::directory_iterator(PTDOCTOR_STAGE_PLUGIN_DIR)) {
      if (entry.path().filename() == "ptdoctor-" + without + ".so") continue;
      fs::copy_file(entry.path(), fs::path(dir_.path()) / entry.path().filename());
    }
    if (!replacement.empty()) fs::copy_file(replacement, fs::path(dir_.path()) / ("ptdoctor-" + without + ".so"));
  }
  std::vector<std::string> args() const {
    return {"--root", fixture_host(kHost), "--no-default-plugins", "--plugin-dir", dir_.path()};
  }
  const std::string& path() const { return dir_.path(); }

 private:
  TempTree dir_;
};

CliResult check(const PluginDir& plugins, const std::string& format) {
  std::vector<std::string> args = {"check", "--format", format};
  for (const std::string& arg : plugins.args()) args.push_back(arg);
  return run_ptdoctor(args);
}

// rule id + subject of every failed result.
std::set<std::string> failed(const Json& report) {
  std::set<std::string> found;
  for (const Json& result : report["results"]) {
    if (result["status"] == "fail") {
      found.insert(result["rule"].get<std::string>() + " " + result["subject"].dump());
    }
  }
  return found;
}

const Json& full_report() {
  static const Json report = check_json({"--root", fixture_host(kHost)});
  return report;
}

// What each case must show in the JSON report.
void expect_named_and_unknown(const PluginDir& plugins, const std::string& problem, const std::string& reason) {
  CliResult run = check(plugins, "json");
  Json report = parse_json_output(run);
  ASSERT_TRUE(report.contains("plugin_problems")) << run.out.substr(0, 400);
  ASSERT_EQ(report["plugin_problems"].size(), 1u) << report["plugin_problems"].dump();
  const Json& named = report["plugin_problems"][0];
  EXPECT_EQ(named["plugin"], "pci");
  EXPECT_EQ(named["problem"], problem);
  EXPECT_NE(named["reason"].get<std::string>().find(reason), std::string::npos) << named.dump();
  EXPECT_EQ(schema_problems(run.out), "");

  // Never READY; the exit code says the same.
  EXPECT_NE(report["verdict"], "ready");
  EXPECT_NE(report["verdict"], "ready-with-warnings");
  EXPECT_EQ(run.exit_code, report["exit_code"].get<int>());

  // No false blocker: whatever fails without the plugin also failed with it.
  std::set<std::string> full = failed(full_report());
  for (const std::string& failure : failed(report)) {
    EXPECT_TRUE(full.count(failure)) << failure << " fails only because the pci plugin did not run";
  }
  // The rules that read PCI facts and decided with the plugin present now say unknown (or still pass or skip on
  // facts they did not need), and the reason names the plugin.
  int unknown_for_pci = 0;
  for (const Json& result : report["results"]) {
    bool reads_pci = false;
    for (const auto& [path, value] : result["facts"].items()) reads_pci |= path.rfind("pci.", 0) == 0;
    if (!reads_pci || result["status"] != "unknown") continue;
    ++unknown_for_pci;
  }
  EXPECT_GT(unknown_for_pci, 0);
  // The reason every unknown PCI fact points to names the plugin and what happened to it.
  std::string why = report["unknown_reasons"].value("pci", "");
  EXPECT_NE(why.find("pci"), std::string::npos) << report["unknown_reasons"].dump();
  EXPECT_NE(why.find(reason), std::string::npos) << report["unknown_reasons"].dump();
}

TEST(PluginProblems, MissingPluginIsNamedAndItsRulesSayUnknown) {
  PluginDir plugins("pci");
  expect_named_and_unknown(plugins, "missing", "no ptdoctor-pci.so in " + plugins.path());
}

TEST(PluginProblems, PluginThatFailsToLoadIsNamedWithTheLoadersReason) {
  PluginDir plugins("pci", PTDOCTOR_WRONG_ABI_PLUGIN);
  expect_named_and_unknown(plugins, "refused", "this ptdoctor needs ABI");
}

TEST(PluginProblems, PluginThatThrowsInCollectIsNamedWithItsError) {
  PluginDir plugins("pci", PTDOCTOR_CRASHING_PCI_PLUGIN);
  expect_named_and_unknown(plugins, "failed", "simulated crash reading config space");
}

// The review's case: without the kernel plugin, "Kernel ? has no dom0 support" was a blocker.
TEST(PluginProblems, MissingKernelPluginMakesNoKernelRuleFail) {
  PluginDir plugins("kernel");
  Json report = parse_json_output(check(plugins, "json"));
  for (const Json& result : report["results"]) {
    if (result["rule"].get<std::string>().rfind("kernel.", 0) != 0) continue;
    EXPECT_NE(result["status"], "fail") << result.dump();
  }
  EXPECT_EQ(report["plugin_problems"][0]["plugin"], "kernel");
}

// In every format the plugin is named before anything else the reader acts on.
void expect_named_before(const std::string& format, const std::string& verdict_mark, const std::string& name,
                         const std::string& next_section) {
  PluginDir plugins("pci");
  CliResult run = check(plugins, format);
  std::size_t verdict = run.out.find(verdict_mark);
  std::size_t heading = run.out.find("Plugins that did not run");
  std::size_t named = run.out.find(name);
  std::size_t next = run.out.find(next_section);
  ASSERT_NE(verdict, std::string::npos) << run.out.substr(0, 1500);
  ASSERT_NE(heading, std::string::npos) << run.out.substr(0, 1500);
  ASSERT_NE(named, std::string::npos) << run.out.substr(0, 1500);
  EXPECT_LT(verdict, heading);
  EXPECT_LT(heading, named);
  if (next != std::string::npos) {
    EXPECT_LT(named, next) << run.out.substr(0, 1500);
  }
  EXPECT_NE(run.out.find("reinstall ptdoctor"), std::string::npos);
  EXPECT_EQ(run.out.find("Verdict: READY"), std::string::npos);
}

TEST(PluginProblems, TextNamesTheMissingPluginUnderTheVerdict) {
  expect_named_before("text", "Verdict: ", "pci: missing: no ptdoctor-pci.so", "What to do first");
}

TEST(PluginProblems, MarkdownNamesTheMissingPluginUnderTheVerdict) {
  expect_named_before("markdown", "**Verdict:**", "`pci`: missing: no ptdoctor-pci.so", "## What to do first");
}

TEST(PluginProblems, HtmlNamesTheMissingPluginUnderTheVerdict) {
  expect_named_before("html", "id=\"verdict\"", "data-plugin=\"pci\" data-problem=\"missing\"",
                      "id=\"first-steps\"");
}

// With every plugin present nothing is listed, and the field is still there for jq.
TEST(PluginProblems, NoneListedWhenEveryPluginRan) {
  EXPECT_EQ(full_report()["plugin_problems"], Json::array());
}

}  // namespace
}  // namespace ptdoctor::testing
