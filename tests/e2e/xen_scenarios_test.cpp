// Expert scenarios 1, 6, 8 and 10 of the domain audit as fixture hosts (tests/fixtures/make_host_roots.py
// VARIANTS), judged end to end: the verdict, the failing rules, and the fix text or plan steps a Xen expert expects.
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

Json check(const std::string& host, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"check", "--format", "json", "--root", fixture_host(host)};
  args.insert(args.end(), extra.begin(), extra.end());
  return parse_json_output(run_ptdoctor(args));
}

Json plan(const std::string& host, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"plan", "--format", "json", "--root", fixture_host(host)};
  args.insert(args.end(), extra.begin(), extra.end());
  return parse_json_output(run_ptdoctor(args));
}

std::set<std::string> failed_rules(const Json& report, bool with_info = false) {
  std::set<std::string> failed;
  for (const Json& r : report["results"]) {
    if (r["status"] == "fail" && (with_info || r["severity"] != "info")) failed.insert(r["rule"].get<std::string>());
  }
  return failed;
}

// Everything a user reads about one result: message, why and every fix text.
std::string shown(const Json& result) {
  std::string text = result.value("message", "") + "\n" + result.value("why", "") + "\n";
  if (result.contains("fixes")) {
    for (const Json& fix : result["fixes"]) text += fix.value("text", "") + "\n";
  }
  return text;
}

std::string all_shown(const Json& report) {
  std::string text;
  for (const Json& r : report["results"]) {
    if (r["status"] == "fail") text += shown(r);
  }
  return text;
}

// Every fix text of the failed results: what the user is told to do (a why may say what does not help).
std::string all_fixes(const Json& report) {
  std::string text;
  for (const Json& r : report["results"]) {
    if (r["status"] != "fail" || !r.contains("fixes")) continue;
    for (const Json& fix : r["fixes"]) text += fix.value("text", "") + "\n";
  }
  return text;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The GRUB_CMDLINE_XEN_DEFAULT line the plan writes, "" when the plan does not touch /etc/default/grub.
std::string planned_xen_line(const Json& made) {
  for (const Json& step : made["steps"]) {
    if (step.value("id", "") != "grub.defaults" || !step.contains("content")) continue;
    std::string content = step["content"];
    std::size_t at = content.rfind("\nGRUB_CMDLINE_XEN_DEFAULT=");
    if (at == std::string::npos) return "";
    return content.substr(at + 1, content.find('\n', at + 1) - at - 1);
  }
  return "";
}

const Json* step_with_id(const Json& made, const std::string& id) {
  for (const Json& step : made["steps"]) {
    if (step.value("id", "") == id) return &step;
  }
  return nullptr;
}

// Scenario 1, first half: the guide's X58 machine (IOH 8086:3405 rev 0x13) on Xen 4.17.3 without an iommu= option.
TEST(XenScenario, X58WithoutNoIntremapIsNotReadyAndNamesNoIntremapWithItsCost) {
  Json report = check("x58-xen-default", {"--gpu", "08:00.0"});
  EXPECT_EQ(report["verdict"], "not-ready");
  EXPECT_EQ(report["facts"]["xen"]["iommu_enabled"], false);
  EXPECT_EQ(report["facts"]["xen"]["intremap_errata"], true);
  std::set<std::string> failed = failed_rules(report);
  EXPECT_TRUE(failed.count("xen.iommu-intremap-errata")) << report["results"].dump();
  // The generic advice (enable VT-d in the firmware, iommu=1) is not given on this chipset.
  EXPECT_EQ(status_of(report, "xen.iommu-enabled"), "skip");
  EXPECT_EQ(status_of(report, "xen.interrupt-remapping"), "skip");
  auto errata = results_for(report, "xen.iommu-intremap-errata");
  ASSERT_EQ(errata.size(), 1u);
  std::string text = shown(errata[0]);
  EXPECT_TRUE(has(text, "iommu=no-intremap")) << text;
  EXPECT_TRUE(has(text, "forged interrupts")) << text;
  EXPECT_TRUE(has(text, "isolation")) << text;
  EXPECT_TRUE(has(errata[0]["message"].get<std::string>(), "Disabling IOMMU due to Intel X58 chipset errata"));
  std::string advice = all_fixes(report);
  EXPECT_FALSE(has(advice, "iommu=1")) << advice;
  EXPECT_FALSE(has(all_shown(report), "Remove `iommu=no-intremap`")) << advice;

  Json made = plan("x58-xen-default", {"--gpu", "08:00.0"});
  std::string line = planned_xen_line(made);
  EXPECT_TRUE(has(line, "iommu=no-intremap")) << line;
  EXPECT_FALSE(has(line, "iommu=1")) << line;
  const Json* grub = step_with_id(made, "grub.defaults");
  ASSERT_NE(grub, nullptr);
  EXPECT_TRUE(has((*grub)["why"].get<std::string>(), "forged interrupts")) << (*grub)["why"];
}

// Scenario 1, second half: the same machine with iommu=no-intremap (the guide-ich10 host).
TEST(XenScenario, X58WithNoIntremapIsReadyWithTheIsolationWarningAndKeepsTheOption) {
  Json report = check("guide-ich10", {"--gpu", "08:00.0"});
  EXPECT_EQ(report["verdict"], "ready-with-warnings");
  EXPECT_EQ(report["facts"]["xen"]["iommu_enabled"], true);
  EXPECT_EQ(report["facts"]["xen"]["intremap_enabled"], false);
  EXPECT_EQ(status_of(report, "xen.iommu-intremap-errata"), "pass");
  EXPECT_EQ(status_of(report, "xen.interrupt-remapping-errata"), "fail");
  EXPECT_EQ(status_of(report, "xen.interrupt-remapping"), "skip");
  std::string everything = all_shown(report);
  EXPECT_TRUE(has(everything, "Keep `iommu=no-intremap`")) << everything;
  EXPECT_FALSE(has(everything, "Remove `iommu=no-intremap`")) << everything;
  EXPECT_FALSE(has(everything, "remove it and")) << everything;

  Json made = plan("guide-ich10", {"--gpu", "08:00.0"});
  std::string line = planned_xen_line(made);
  if (!line.empty()) {
    EXPECT_TRUE(has(line, "iommu=no-intremap")) << line;
  }
}

// Telling an X58/5500/5520 user to remove iommu=no-intremap turns Xen's IOMMU off again (xen-project/xen:
// xen/drivers/passthrough/vtd/quirks.c tylersburg_intremap_quirk runs whenever interrupt remapping is not off).
// Matches "remove `iommu=no-intremap`", "drop no-intremap", and "no-intremap is on the line ..., remove it".
bool says_remove_no_intremap(const std::string& text) {
  static const std::regex verb_first(R"((remov|drop|delet)\w*\s+[`'"]?(iommu=)?no-intremap)", std::regex::icase);
  static const std::regex object_first(R"(no-intremap[^.;\n]{0,120}\b(remove|drop|delete) it\b)", std::regex::icase);
  return std::regex_search(text, verb_first) || std::regex_search(text, object_first);
}

TEST(XenScenario, TheRemoveNoIntremapDetectorCatchesTheOldWording) {
  EXPECT_TRUE(says_remove_no_intremap("Remove `iommu=no-intremap` from the Xen line"));
  EXPECT_TRUE(says_remove_no_intremap("If `iommu=no-intremap` is on the Xen line (GRUB_CMDLINE_XEN_DEFAULT in "
                                      "/etc/default/grub), remove it and run `update-grub`"));
  EXPECT_FALSE(says_remove_no_intremap("drop iommu=0/off/no-iommu, add iommu=no-intremap on X58/5500/5520"));
  EXPECT_FALSE(says_remove_no_intremap("Keep `iommu=no-intremap` on the Xen line"));
}

// Issue 9 acceptance on the X58 hosts: whatever the user runs (check in every format, plan, explain of the errata
// line), nothing tells them to remove iommu=no-intremap, and every result they are asked to act on (fail or unknown)
// is free of that advice.
TEST(XenScenario, NothingTellsAnX58UserToRemoveNoIntremap) {
  for (const char* host : {"x58-xen-default", "guide-ich10"}) {
    for (const std::vector<std::string>& picked :
         {std::vector<std::string>{}, {"--gpu", "08:00.0"}, {"--gpu", "08:00.0", "--usb", "00:1d.7"}}) {
      const std::string label = std::string(host) + (picked.empty() ? "" : " " + picked.back());
      Json report = check(host, picked);
      for (const Json& r : report["results"]) {
        if (r["status"] != "fail" && r["status"] != "unknown") continue;
        EXPECT_FALSE(says_remove_no_intremap(shown(r))) << label << ": " << r["rule"] << "\n" << shown(r);
      }
      for (const char* format : {"text", "markdown"}) {
        std::vector<std::string> args = {"check", "--root", fixture_host(host), "--format", format, "--no-color"};
        args.insert(args.end(), picked.begin(), picked.end());
        std::string out = run_ptdoctor(args).out;
        EXPECT_FALSE(says_remove_no_intremap(out)) << label << " (" << format << "):\n" << out;
        EXPECT_TRUE(has(out, "no-intremap")) << label << " (" << format << ") does not name the option";
      }
      std::vector<std::string> plan_args = {"plan", "--root", fixture_host(host)};
      plan_args.insert(plan_args.end(), picked.begin(), picked.end());
      std::string planned = run_ptdoctor(plan_args).out + plan(host, picked).dump();
      EXPECT_FALSE(says_remove_no_intremap(planned)) << label << ":\n" << planned;
      // Whatever GRUB_CMDLINE_XEN_DEFAULT the plan writes keeps (or adds) the option.
      std::string line = planned_xen_line(plan(host, picked));
      if (!line.empty()) {
        EXPECT_TRUE(has(line, "iommu=no-intremap")) << label << ": " << line;
      }
    }
  }
  auto explained = run_ptdoctor({"explain", "(XEN) [VT-D]Disabling IOMMU due to Intel X58 chipset errata #62 and #69"});
  EXPECT_EQ(explained.exit_code, 0) << explained.err;
  EXPECT_TRUE(has(explained.out, "xen.iommu-intremap-errata")) << explained.out;
  EXPECT_TRUE(has(explained.out, "iommu=no-intremap")) << explained.out;
  EXPECT_FALSE(says_remove_no_intremap(explained.out)) << explained.out;
  // The generic IOMMU rule's firmware advice is not offered for this line.
  EXPECT_FALSE(has(explained.out, "xen.iommu-enabled")) << explained.out;
}

// Any shipped rule text that asks to remove iommu=no-intremap is gated off on these chipsets by
// `not: $xen.intremap_errata`, and no page in docs/ asks for it at all.
TEST(XenScenario, EveryRemoveNoIntremapAdviceIsGatedOffOnX58) {
  const std::filesystem::path source = PTDOCTOR_SOURCE_DIR;
  int gated = 0;
  for (const auto& entry : std::filesystem::directory_iterator(source / "rules")) {
    if (entry.path().extension() != ".yaml") continue;
    for (const YAML::Node& document : YAML::LoadAllFromFile(entry.path().string())) {
      if (!document["rules"]) continue;
      for (const YAML::Node& rule : document["rules"]) {
        YAML::Emitter text;
        text << rule["message"] << rule["why"] << rule["fix"];
        if (!says_remove_no_intremap(text.c_str())) continue;
        YAML::Emitter when;
        when << rule["when"];
        EXPECT_TRUE(has(when.c_str(), "not: $xen.intremap_errata"))
            << rule["id"].as<std::string>() << " asks to remove no-intremap without `not: $xen.intremap_errata`";
        ++gated;
      }
    }
  }
  EXPECT_GE(gated, 1);  // xen.interrupt-remapping: the detector still sees its (gated) advice
  for (const auto& entry : std::filesystem::recursive_directory_iterator(source / "docs")) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_FALSE(says_remove_no_intremap(text.str())) << entry.path();
  }
}

// Scenario 6: a self-built 6.6 kernel with CONFIG_XEN_DOM0=y and CONFIG_XEN_PVH=y but no CONFIG_XEN_PV.
TEST(XenScenario, PvhOnlyDom0KernelIsNotReady) {
  Json report = check("pvh-only-kernel");
  EXPECT_EQ(report["verdict"], "not-ready");
  EXPECT_EQ(status_of(report, "kernel.xen-dom0-support"), "pass");
  EXPECT_EQ(status_of(report, "kernel.pv-dom0-support"), "fail");
  auto pv = results_for(report, "kernel.pv-dom0-support");
  ASSERT_EQ(pv.size(), 1u);
  std::string text = shown(pv[0]);
  EXPECT_TRUE(has(text, "CONFIG_XEN_PV=y")) << text;
  EXPECT_TRUE(has(text, "PVH")) << text;
  // Its config is in /boot, so GRUB would list it under Xen: that is not the problem here.
  EXPECT_EQ(status_of(report, "kernel.grub-xen-entry"), "pass");
}

// Finding 12: the AMD desktop's kernel has its config only in /proc/config.gz, so update-grub makes no Xen entry.
TEST(XenScenario, KernelWithoutItsBootConfigGetsNoXenEntry) {
  Json report = check("amd-desktop");
  EXPECT_EQ(status_of(report, "kernel.grub-xen-entry"), "fail");
  EXPECT_EQ(report["facts"]["kernel"]["grub_xen_entry"], false);
  EXPECT_EQ(status_of(check("intel-modern"), "kernel.grub-xen-entry"), "pass");
}

// Scenario 8: `no-iommu` on the Xen line.
TEST(XenScenario, NoIommuOnTheXenLineIsNotReadyAndThePlanRemovesIt) {
  Json report = check("xen-no-iommu");
  EXPECT_EQ(report["verdict"], "not-ready");
  EXPECT_EQ(report["facts"]["xen"]["commandline_iommu_off_by"], "no-iommu");
  std::set<std::string> failed = failed_rules(report);
  EXPECT_TRUE(failed.count("xen.iommu-not-disabled-on-cmdline"));
  EXPECT_TRUE(failed.count("xen.iommu-enabled"));
  auto cmdline = results_for(report, "xen.iommu-not-disabled-on-cmdline");
  ASSERT_EQ(cmdline.size(), 1u);
  EXPECT_TRUE(has(cmdline[0]["message"].get<std::string>(), "`no-iommu`")) << cmdline[0]["message"];
  // Interrupt remapping is off because the IOMMU is: a fact, not an unknown.
  EXPECT_EQ(report["facts"]["xen"]["intremap_enabled"], false);

  Json made = plan("xen-no-iommu");
  std::string line = planned_xen_line(made);
  ASSERT_FALSE(line.empty()) << made.dump(1);
  EXPECT_FALSE(has(line, "no-iommu")) << line;
  EXPECT_TRUE(has(line, "dom0_mem=4G,max:4G")) << line;
  EXPECT_FALSE(has(line, "iommu=1")) << line;
}

// Scenario 8, counter-case: `iommu=off iommu=1` leaves the IOMMU on (the last word wins).
TEST(XenScenario, IommuOffThenOnPasses) {
  Json report = check("xen-iommu-off-then-on");
  EXPECT_EQ(report["facts"]["xen"]["commandline_iommu_off_by"], nullptr);
  EXPECT_EQ(status_of(report, "xen.iommu-not-disabled-on-cmdline"), "pass");
  EXPECT_EQ(status_of(report, "xen.iommu-enabled"), "pass");
  Json made = plan("xen-iommu-off-then-on");
  std::string line = planned_xen_line(made);
  // Whatever else the plan does, it does not fight over the iommu words.
  if (!line.empty()) {
    EXPECT_TRUE(has(line, "iommu=off iommu=1")) << line;
  }
}

// Scenario 10: VT-x disabled in the firmware, VT-d on, xl dmesg wrapped.
TEST(XenScenario, VtxOffWithVtdOnIsNotReadyViaXenHvmAndTheIommuIsKnownOn) {
  Json report = check("vtx-off-wrapped");
  EXPECT_EQ(report["verdict"], "not-ready");
  EXPECT_EQ(status_of(report, "xen.hvm"), "fail");
  EXPECT_TRUE(failed_rules(report).count("xen.hvm"));
  EXPECT_EQ(report["facts"]["xen"]["iommu_enabled"], true);
  EXPECT_EQ(status_of(report, "xen.iommu-enabled"), "pass");
  EXPECT_EQ(report["facts"]["xen"]["dmesg"]["truncated"], true);
  for (const char* rule : {"cpu.nested-guest", "cpu.hvm-visible", "cpu.vmx-firmware-enabled",
                           "cpu.svm-firmware-enabled"}) {
    EXPECT_EQ(status_of(report, rule), "skip") << rule;
  }
  auto hvm = results_for(report, "xen.hvm");
  ASSERT_EQ(hvm.size(), 1u);
  EXPECT_TRUE(has(shown(hvm[0]), "VT-x")) << shown(hvm[0]);
}

}  // namespace
}  // namespace ptdoctor::testing
