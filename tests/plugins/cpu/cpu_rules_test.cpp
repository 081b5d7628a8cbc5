// rules/cpu.yaml through the rule engine, on facts of the staged cpu plugin: what a user reads.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "capture_files.hpp"
#include "plugin_harness.hpp"
#include "ptdoctor/rules.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::cpu {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ptdoctor::testing::fixture_host;
using ptdoctor::testing::run_plugins;
using ptdoctor::testing::source_path;
using ptdoctor::testing::TempTree;

class CpuRules : public ::testing::Test {
 protected:
  void SetUp() override {
    auto errors = rules_.load(source_path("rules/cpu.yaml"));
    for (const auto& error : errors) ADD_FAILURE() << error.message;
  }

  std::map<std::string, RuleResult> judge(const std::string& root) {
    auto collection = run_plugins({"cpu"}, root);
    std::map<std::string, RuleResult> by_id;
    for (auto& result : rules_.evaluate(collection.facts)) by_id[result.rule_id] = result;
    return by_id;
  }

  RuleSet rules_;
};

TEST_F(CpuRules, LoadsEveryRule) {
  EXPECT_THAT(rules_.ids(), ElementsAre("cpu.nested-guest", "cpu.hvm-visible", "cpu.vmx-firmware-enabled",
                                        "cpu.svm-firmware-enabled", "cpu.sources-agree",
                                        "cpu.xen-inside-another-hypervisor"));
}

TEST_F(CpuRules, AGuestOfAnotherHypervisorIsToldSoAndWhatToDo) {
  TempTree tree;
  tree.write("/.ptdoctor/capture/cpuid.txt", testing::capture_file("this-machine.txt"));
  auto results = judge(tree.path());
  const RuleResult& nested = results.at("cpu.nested-guest");
  EXPECT_EQ(nested.status, RuleStatus::kFail);
  EXPECT_EQ(nested.message,
            "This machine is a guest of bhyve; passthrough needs Xen on bare metal (or nested virtualisation with a "
            "virtual IOMMU)");
  ASSERT_EQ(nested.fixes.size(), 2u);
  EXPECT_THAT(nested.fixes[0].text, HasSubstr("on the physical computer with the GPU"));
  EXPECT_THAT(nested.fixes[1].text, HasSubstr("Only to experiment inside a virtual machine"));
  EXPECT_EQ(results.at("cpu.hvm-visible").status, RuleStatus::kFail);
  EXPECT_THAT(results.at("cpu.hvm-visible").message, HasSubstr("bhyve does not expose VT-x or AMD-V"));
  EXPECT_EQ(results.at("cpu.vmx-firmware-enabled").status, RuleStatus::kSkip);
}

TEST_F(CpuRules, UnderXenTheCpuRulesStepAside) {
  auto results = judge(fixture_host("guide-ich10"));
  for (const char* id : {"cpu.nested-guest", "cpu.hvm-visible", "cpu.vmx-firmware-enabled",
                         "cpu.svm-firmware-enabled"}) {
    EXPECT_EQ(results.at(id).status, RuleStatus::kSkip) << id << ": " << results.at(id).message;
  }
  EXPECT_THAT(results.at("cpu.hvm-visible").message, HasSubstr("xl info"));
}

TEST_F(CpuRules, ModernIntelPasses) {
  auto results = judge(fixture_host("intel-modern"));
  for (const char* id : {"cpu.nested-guest", "cpu.hvm-visible", "cpu.vmx-firmware-enabled", "cpu.sources-agree"}) {
    EXPECT_EQ(results.at(id).status, RuleStatus::kPass) << id << ": " << results.at(id).message;
  }
  EXPECT_EQ(results.at("cpu.svm-firmware-enabled").status, RuleStatus::kSkip);
}

TEST_F(CpuRules, VtxLockedOffInFirmwareSaysWhereToEnableIt) {
  TempTree tree;
  tree.write("/.ptdoctor/capture/cpuid.txt", testing::capture_file("intel-vmx.txt"));
  tree.write("/dev/cpu/0/msr", testing::msr_device_bytes(0x3a, 0x1));
  auto results = judge(tree.path());
  const RuleResult& firmware = results.at("cpu.vmx-firmware-enabled");
  EXPECT_EQ(firmware.status, RuleStatus::kFail);
  EXPECT_THAT(firmware.message, HasSubstr("locked with VMX outside SMX off"));
  ASSERT_THAT(firmware.fixes, ::testing::Not(IsEmpty()));
  EXPECT_THAT(firmware.fixes[0].text, HasSubstr("Enable Intel Virtualization Technology (VT-x) in the firmware"));
  EXPECT_EQ(results.at("cpu.hvm-visible").status, RuleStatus::kPass);
}

TEST_F(CpuRules, NothingKnownIsUnknownNeverPass) {
  auto results = judge(fixture_host("empty"));
  for (const auto& [id, result] : results) {
    // Judged with the cpu plugin alone: without the kernel plugin's kernel.xen_dom0 this is no Xen dom0.
    if (id == "cpu.xen-inside-another-hypervisor") {
      EXPECT_EQ(result.status, RuleStatus::kSkip) << result.message;
      continue;
    }
    EXPECT_EQ(result.status, RuleStatus::kUnknown) << id << ": " << result.message;
    EXPECT_THAT(result.message, HasSubstr("cpuid -r")) << id;
  }
}

}  // namespace
}  // namespace ptdoctor::cpu
