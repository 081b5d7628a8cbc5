// The rule lint against the declarations: the shipped rules are clean, and each kind of mistake a rule author makes
// (a misspelt fact, an operator on the wrong type, a misspelt fix generator) is caught with file:line.
#include <filesystem>

#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "rules/rule_lint.hpp"
#include "rules/rule_loader.hpp"
#include "temp_tree.hpp"
#include "world.hpp"

namespace ptdoctor::testing {
namespace {

TEST(RuleLint, EveryShippedRuleReadsDeclaredFactsWithFittingOperators) {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(PTDOCTOR_STAGE_RULES_DIR)) {
    if (entry.path().extension() != ".yaml") continue;
    rules::LoadedFile loaded = rules::load_rule_file(entry.path().string(), true);
    ASSERT_EQ(loaded.problems, std::vector<std::string>{});
    if (loaded.data_file) continue;
    ++files;
    for (const std::string& problem : rules::lint_rules(loaded.rules, world().catalog)) ADD_FAILURE() << problem;
  }
  EXPECT_GE(files, 5u);
}

std::vector<std::string> lint(const std::string& rule_body) {
  const std::string text = "kind: rules\nrules:\n  - id: t.rule\n    title: T\n    severity: warning\n" + rule_body +
                           "    message: {fail: failed}\n    why: W\n";
  rules::LoadedFile loaded = rules::load_rule_text(text, "t.yaml", false);
  EXPECT_EQ(loaded.problems, std::vector<std::string>{}) << text;
  return rules::lint_rules(loaded.rules, world().catalog);
}

bool mentions(const std::vector<std::string>& problems, const std::string& what) {
  for (const std::string& problem : problems) {
    if (problem.find(what) != std::string::npos) return true;
  }
  return false;
}

TEST(RuleLint, CatchesEachKindOfMistake) {
  EXPECT_EQ(lint("    check: $xen.running\n"), std::vector<std::string>{});
  EXPECT_TRUE(mentions(lint("    check: $xen.runing\n"), "xen.runing is not a declared fact"));
  EXPECT_TRUE(mentions(lint("    check: {gt: [$xen.version, 4]}\n"), "gt needs number"));
  EXPECT_TRUE(mentions(lint("    check: $gpu.target\n"), "a bare fact used as a condition needs boolean"));
  EXPECT_TRUE(mentions(lint("    check: {some: {in: $xen.version, as: v, check: $v}}\n"), "some needs list"));
  EXPECT_TRUE(mentions(lint("    check: {equals: [$xen.running, \"yes\"]}\n"), "it can never be equal"));
  EXPECT_TRUE(mentions(lint("    for_each: $usb.controllers\n    as: c\n    check: $c.has_keybaord\n"),
                       "usb.controllers[].has_keybaord is not a declared fact"));
  EXPECT_TRUE(mentions(lint("    check: $xen.running\n    fix: [\"set {kernel.nope}\"]\n"),
                       "kernel.nope is not a declared fact"));
  EXPECT_TRUE(mentions(lint("    check: {matches: [$usb.controllers, \"x\"]}\n"), "matches needs string"));
  EXPECT_EQ(lint("    check: {equals: [$kernel.config.CONFIG_XEN, y]}\n"), std::vector<std::string>{});
}

TEST(RuleLint, AMisspeltFixGeneratorIsALoadError) {
  rules::LoadedFile loaded = rules::load_rule_text(
      "kind: rules\nrules:\n  - id: t.rule\n    title: T\n    severity: warning\n    check: $xen.running\n"
      "    message: {fail: failed}\n    fix:\n      - {text: load it, action: {generator: modules-load, module: m}}\n"
      "    why: W\n",
      "t.yaml", false);
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_NE(loaded.problems[0].find("t.yaml:9:"), std::string::npos) << loaded.problems[0];
  EXPECT_NE(loaded.problems[0].find("no fix generator 'modules-load'; known: kconfig-fragment"), std::string::npos)
      << loaded.problems[0];
  EXPECT_TRUE(loaded.rules.empty());
}

TEST(RuleLint, TheCliLintsAFileAndExitsOneOnProblems) {
  TempTree tree;
  const std::string bad = tree.write("/bad.yaml",
                                     "kind: rules\nrules:\n  - id: t.rule\n    title: T\n    severity: warning\n"
                                     "    check: $xen.runing\n    message: {fail: failed}\n    why: W\n");
  CliResult result = run_ptdoctor({"rules", "--lint", bad});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.out.find("bad.yaml:6: rule t.rule: $xen.runing"), std::string::npos) << result.out;
  CliResult shipped = run_ptdoctor({"rules", "--lint", std::string(PTDOCTOR_STAGE_RULES_DIR) + "/usb.yaml"});
  EXPECT_EQ(shipped.exit_code, 0) << shipped.out << shipped.err;
}

}  // namespace
}  // namespace ptdoctor::testing
