// End to end through the SHIPPED rules and database only: `ptdoctor check --spec` on the three builds of
// docs/pre-purchase.md and an i7-2600K gives a buyer's answer (verdict, caveats, checklist) in one screen.
#include <gtest/gtest.h>

#include <algorithm>

#include "cli_runner.hpp"
#include "ptdoctor/json.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::spec {
namespace {

using ptdoctor::testing::CliResult;
using ptdoctor::testing::run_ptdoctor;
using ptdoctor::testing::source_path;

std::string parts(const std::string& name) { return source_path("tests/spec/parts/" + name); }

CliResult check_spec(const std::vector<std::string>& files, const std::string& format = "text") {
  std::vector<std::string> args = {"check", "--no-default-plugins", "--format", format, "--no-color"};
  for (const auto& file : files) {
    args.push_back("--spec");
    args.push_back(parts(file));
  }
  return run_ptdoctor(args);
}

// The JSON answer's result for one rule, or null.
Json decided(const Json& build, const std::string& rule_id) {
  for (const Json& result : build["decided"]) {
    if (result["rule_id"] == rule_id) return result;
  }
  return Json();
}

Json build_of(const CliResult& result) {
  Json report = Json::parse(result.out, nullptr, false);
  EXPECT_FALSE(report.is_discarded()) << result.out << result.err;
  return report.is_discarded() ? Json() : report["builds"][0];
}

std::size_t lines(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

void expect_one_screen_without_host_advice(const CliResult& result) {
  EXPECT_LE(lines(result.out), 40u) << result.out;
  EXPECT_FALSE(has(result.out, "as root")) << result.out;
  EXPECT_FALSE(has(result.out, "Cannot tell")) << result.out;
  EXPECT_FALSE(has(result.out, "dom0 kernel config")) << result.out;
}

// Rules only a running machine can decide (dom0 kernel, sysfs, firmware tables) are not part of the answer.
void expect_only_parts_rules(const Json& build) {
  ASSERT_TRUE(build["decided"].is_array());
  EXPECT_GE(build["decided"].size(), 5u);
  for (const Json& result : build["decided"]) {
    EXPECT_EQ(result["rule_id"].get<std::string>().rfind("spec.", 0), 0u) << result.dump();
  }
}

TEST(SpecCli, RyzenX570BuildIsCapableAndKeepsTheGeforceForDom0) {
  auto text = check_spec({"ryzen-x570.yaml"});
  EXPECT_EQ(text.exit_code, 0) << text.out << text.err;
  expect_one_screen_without_host_advice(text);
  EXPECT_TRUE(has(text.out, "CAPABLE:")) << text.out;
  EXPECT_TRUE(has(text.out, "'SVM Mode'")) << text.out;
  EXPECT_TRUE(has(text.out, "'IOMMU' Enabled")) << text.out;
  EXPECT_TRUE(has(text.out, "ptdoctor snapshot")) << text.out;
  Json build = build_of(check_spec({"ryzen-x570.yaml"}, "json"));
  expect_only_parts_rules(build);
  EXPECT_EQ(build["verdict"], "capable");
  EXPECT_EQ(decided(build, "spec.platform-iommu")["status"], "pass");
  // Navi 21 (0x73bf) is not in vendor-reset's list of reset-bug families.
  EXPECT_EQ(decided(build, "spec.gpu-reset")["status"], "pass");
  EXPECT_EQ(decided(build, "spec.dom0-display")["status"], "pass");
  EXPECT_TRUE(has(decided(build, "spec.dom0-display")["message"], "GeForce GTX 1050 Ti"));
  // Real X570 firmware: some boards shipped with the IOMMU table, some without.
  std::string evidence = decided(build, "spec.board-firmware")["message"];
  EXPECT_TRUE(has(evidence, "X570 boards")) << evidence;
  EXPECT_TRUE(has(evidence, "linuxhw/ACPI")) << evidence;
}

TEST(SpecCli, B660MBoardResolvesToB660AndTheOnlyGpuIsACaveat) {
  auto text = check_spec({"b660m-rtx3060.yaml"});
  EXPECT_EQ(text.exit_code, 1) << text.out << text.err;
  expect_one_screen_without_host_advice(text);
  EXPECT_TRUE(has(text.out, "MSI PRO B660M-A -> B660 chipset")) << text.out;
  EXPECT_TRUE(has(text.out, "CAPABLE WITH CAVEATS")) << text.out;
  EXPECT_TRUE(has(text.out, "'VT-d' Enabled")) << text.out;
  Json build = build_of(check_spec({"b660m-rtx3060.yaml"}, "json"));
  EXPECT_EQ(build["verdict"], "capable with caveats");
  EXPECT_EQ(build["exit_code"], 1);
  EXPECT_EQ(decided(build, "spec.dom0-display")["status"], "fail");
  EXPECT_TRUE(has(decided(build, "spec.dom0-display")["message"], "only GPU"));
  // Ampere: GeForce passthrough allowed from driver R465 on.
  EXPECT_EQ(decided(build, "spec.gpu-geforce-driver")["status"], "pass");
  EXPECT_TRUE(has(decided(build, "spec.gpu-geforce-driver")["message"], "R465"));
  EXPECT_TRUE(has(decided(build, "spec.board-firmware")["message"], "B660 boards"));
}

TEST(SpecCli, GuideX58BuildNeedsNoIntremapAndSaysWhatIsLost) {
  auto text = check_spec({"guide-machine.yaml"});
  EXPECT_EQ(text.exit_code, 1) << text.out << text.err;
  expect_one_screen_without_host_advice(text);
  EXPECT_TRUE(has(text.out, "iommu=no-intremap")) << text.out;
  EXPECT_TRUE(has(text.out, "interrupt-remapping isolation")) << text.out;
  Json build = build_of(check_spec({"guide-machine.yaml"}, "json"));
  expect_only_parts_rules(build);
  Json intremap = decided(build, "spec.platform-intremap");
  EXPECT_EQ(intremap["status"], "fail");
  EXPECT_EQ(intremap["severity"], "warning");
  bool checklist_names_it = false;
  for (const Json& item : build["checklist"]) checklist_names_it |= has(item, "iommu=no-intremap");
  EXPECT_TRUE(checklist_names_it) << build["checklist"].dump();
}

TEST(SpecCli, I7_2600KIsNotCapableBecauseItHasNoVtdNotBecauseOfTheFirmware) {
  auto text = check_spec({"i7-2600k.yaml"});
  EXPECT_EQ(text.exit_code, 2) << text.out << text.err;
  expect_one_screen_without_host_advice(text);
  EXPECT_TRUE(has(text.out, "NOT CAPABLE: IOMMU: the Core i7-2600K has no VT-d")) << text.out;
  EXPECT_TRUE(has(text.out, "Intel ARK lists Intel VT-d: No")) << text.out;
  // No firmware setting adds VT-d: the answer is another CPU, never "enable VT-d".
  EXPECT_FALSE(has(text.out, "Enable")) << text.out;
  EXPECT_FALSE(has(text.out, "enable VT-d")) << text.out;
  EXPECT_TRUE(has(text.out, "Choose a CPU")) << text.out;
  Json build = build_of(check_spec({"i7-2600k.yaml"}, "json"));
  EXPECT_EQ(decided(build, "spec.platform-iommu")["status"], "fail");
  EXPECT_EQ(decided(build, "spec.platform-iommu")["severity"], "blocker");
}

TEST(SpecCli, UnknownPartNamesItAndHowToAddIt) {
  ptdoctor::testing::TempTree tree;
  std::string file = tree.write("/p.yaml",
                                "kind: parts\ncpu: \"Core i5-12400F\"\nchipset: B660\n"
                                "gpus: [\"Radeon RX 9999 XTX\"]\n");
  auto result = run_ptdoctor({"check", "--no-default-plugins", "--no-color", "--spec", file});
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_TRUE(has(result.out, "UNKNOWN PART: GPU 'Radeon RX 9999 XTX' is not in the hardware database")) << result.out;
  EXPECT_TRUE(has(result.out, "rules/hwdb/gpus.yaml")) << result.out;
  EXPECT_TRUE(has(result.out, "PCI id")) << result.out;
}

TEST(SpecCli, SeveralBuildsAreComparedInOneTable) {
  auto result = check_spec({"ryzen-x570.yaml", "b660m-rtx3060.yaml", "guide-machine.yaml"});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;  // the worst of 0, 1, 1
  EXPECT_TRUE(has(result.out, "Ryzen 7 5800X3D + X570")) << result.out;
  EXPECT_TRUE(has(result.out, "Xen wiki guide machine")) << result.out;
  // One row per question, one column per build: the intremap row holds ok, ok, caveat.
  std::size_t row = result.out.find("Xen keeps the IOMMU on with");
  ASSERT_NE(row, std::string::npos) << result.out;
  std::string line = result.out.substr(row, result.out.find('\n', row) - row);
  EXPECT_EQ(std::count(line.begin(), line.end(), '|'), 3) << line;
  EXPECT_TRUE(has(line, "! caveat")) << line;
  EXPECT_LE(lines(result.out), 40u) << result.out;
  auto json = check_spec({"ryzen-x570.yaml", "i7-2600k.yaml"}, "json");
  EXPECT_EQ(json.exit_code, 2);
  Json report = Json::parse(json.out, nullptr, false);
  ASSERT_EQ(report["builds"].size(), 2u) << json.out;
  EXPECT_EQ(report["builds"][1]["verdict"], "not capable");
}

TEST(SpecCli, SpecExcludesRootAndBadListsAreUsageErrors) {
  auto both = run_ptdoctor({"check", "--root", "/", "--spec", parts("guide-machine.yaml")});
  EXPECT_EQ(both.exit_code, 64);
  ptdoctor::testing::TempTree tree;
  auto bad = run_ptdoctor({"check", "--no-default-plugins", "--spec", tree.write("/p.yaml", "cpu: x\nram: 8G\n")});
  EXPECT_EQ(bad.exit_code, 64);
  EXPECT_NE(bad.err.find("p.yaml:2:1: unknown key 'ram'"), std::string::npos) << bad.err;
  auto facts = run_ptdoctor(
      {"facts", "--no-default-plugins", "--spec", parts("guide-machine.yaml"), "--spec", parts("i7-2600k.yaml")});
  EXPECT_EQ(facts.exit_code, 64) << facts.out;
}

}  // namespace
}  // namespace ptdoctor::spec
