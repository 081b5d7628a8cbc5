// Each pre-purchase rule (rules/spec.yaml) passes and fails on parts lists where an expert would say so, judged on
// the facts the shipped hardware database gives; on a real host (no spec.file) every one is skipped.
#include <gtest/gtest.h>

#include "ptdoctor/rules.hpp"
#include "spec/spec_facts.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::spec {
namespace {

using ptdoctor::testing::source_path;
using ptdoctor::testing::TempTree;

class SpecRules : public ::testing::Test {
 protected:
  void SetUp() override {
    auto errors = rules_.load(source_path("rules/spec.yaml"));
    ASSERT_TRUE(errors.empty()) << errors.front().message;
  }

  // Status of `rule_id` for a parts list given as YAML text ("pass", "fail", "skip", "unknown").
  std::string status(const std::string& rule_id, const std::string& parts, std::vector<std::string> dirs = {}) {
    dirs.insert(dirs.begin(), source_path("rules"));
    auto built = facts_from_spec(tree_.write("/parts-" + std::to_string(++count_) + ".yaml", parts), dirs);
    EXPECT_TRUE(built) << (built ? "" : built.error().message);
    if (!built) return "<error>";
    for (const RuleResult& result : rules_.evaluate(built->facts)) {
      if (result.rule_id == rule_id) {
        last_message_ = result.message;
        return to_string(result.status);
      }
    }
    return "<absent>";
  }

  RuleSet rules_;
  TempTree tree_;
  int count_ = 0;
  std::string last_message_;
};

const char* kModernIntel = "cpu: \"Core i5-12400\"\nchipset: B660\n";

TEST_F(SpecRules, CpuVirtualisation) {
  EXPECT_EQ(status("spec.cpu-virtualisation", std::string(kModernIntel) + "gpus: [\"GeForce RTX 3060\"]\n"), "pass");
  // No CPU of the shipped database lacks VT-x; a local entry stands for one (a Pentium 4 without VT-x).
  TempTree local;
  local.write("/hwdb/cpus.yaml",
              "kind: hwdb\ntable: cpus\ngroups:\n  - vendor: GenuineIntel\n"
              "    source: local test\n    vmx: false\n    iommu: false\n"
              "    models: [\"Pentium 4 630\"]\n");
  EXPECT_EQ(status("spec.cpu-virtualisation", "cpu: \"Pentium 4 630\"\n", {local.path()}), "fail");
  EXPECT_NE(last_message_.find("neither VT-x nor AMD-V"), std::string::npos) << last_message_;
}

TEST_F(SpecRules, PlatformIommu) {
  EXPECT_EQ(status("spec.platform-iommu", kModernIntel), "pass");
  EXPECT_EQ(status("spec.platform-iommu", "cpu: \"Core i5-3570K\"\nchipset: Z77\n"), "fail");
  EXPECT_NE(last_message_.find("Core i5-3570K has no VT-d"), std::string::npos) << last_message_;
  EXPECT_EQ(status("spec.platform-iommu", "cpu: \"Core 2 Quad Q9550\"\nchipset: P45\n"), "fail");
  EXPECT_EQ(status("spec.platform-iommu", "cpu: \"Core i7-920\"\n"), "unknown");  // LGA1366 needs the chipset
}

TEST_F(SpecRules, PlatformBoardDependent) {
  EXPECT_EQ(status("spec.platform-board-dependent", "cpu: \"Core i7-2600\"\nchipset: P67\n"), "fail");
  EXPECT_NE(last_message_.find("depends on the motherboard"), std::string::npos) << last_message_;
  EXPECT_EQ(status("spec.platform-board-dependent", kModernIntel), "pass");  // the CPU decides, not the board
}

TEST_F(SpecRules, PlatformIntremap) {
  EXPECT_EQ(status("spec.platform-intremap", kModernIntel), "pass");
  EXPECT_EQ(status("spec.platform-intremap", "cpu: \"Xeon X5670\"\nchipset: \"5520\"\n"), "fail");
  EXPECT_NE(last_message_.find("iommu=no-intremap"), std::string::npos) << last_message_;
  EXPECT_EQ(status("spec.platform-intremap", "cpu: \"Core i7-920\"\nmotherboard: \"Gigabyte GA-EX58-UD5\"\n"), "fail");
}

TEST_F(SpecRules, GpuReset) {
  EXPECT_EQ(status("spec.gpu-reset", std::string(kModernIntel) + "gpus: [\"Radeon RX 6800 XT\"]\n"), "pass");
  EXPECT_EQ(status("spec.gpu-reset", std::string(kModernIntel) + "gpus: [\"1002:67df\"]\n"), "fail");  // Polaris 10
  EXPECT_NE(last_message_.find("AMD reset bug"), std::string::npos) << last_message_;
  // Only the passthrough card (the first) is judged: a Polaris card kept for dom0 is fine.
  EXPECT_EQ(status("spec.gpu-reset", std::string(kModernIntel) + "gpus: [\"GeForce RTX 3060\", \"1002:67df\"]\n"),
            "pass");
  EXPECT_EQ(status("spec.gpu-reset", std::string(kModernIntel) + "gpus: [\"Voodoo 5 6000\"]\n"), "unknown");
}

TEST_F(SpecRules, GeforceDriverGeneration) {
  EXPECT_EQ(status("spec.gpu-geforce-driver", std::string(kModernIntel) + "gpus: [\"GeForce RTX 3060\"]\n"), "pass");
  EXPECT_EQ(status("spec.gpu-geforce-driver", std::string(kModernIntel) + "gpus: [\"GeForce GTX 560 Ti\"]\n"), "fail");
  EXPECT_NE(last_message_.find("older than Kepler"), std::string::npos) << last_message_;
  EXPECT_EQ(status("spec.gpu-geforce-driver", std::string(kModernIntel) + "gpus: [\"Radeon HD 6970\"]\n"), "skip");
}

TEST_F(SpecRules, Dom0Display) {
  EXPECT_EQ(status("spec.dom0-display", std::string(kModernIntel) + "gpus: [\"GeForce RTX 3060\"]\n"), "pass");
  EXPECT_NE(last_message_.find("integrated graphics"), std::string::npos) << last_message_;
  EXPECT_EQ(status("spec.dom0-display", "cpu: \"Core i5-12400F\"\nchipset: B660\ngpus: [\"GeForce RTX 3060\"]\n"),
            "fail");
  EXPECT_EQ(status("spec.dom0-display",
                   "cpu: \"Core i5-12400F\"\nchipset: B660\ngpus: [\"GeForce RTX 3060\", \"GeForce GT 1030\"]\n"),
            "pass");
  EXPECT_EQ(status("spec.dom0-display", "cpu: \"Core 2 Quad Q9550\"\nchipset: Q45\ngpus: [\"Radeon HD 6970\"]\n"),
            "unknown");  // the database does not say: never guessed
}

TEST_F(SpecRules, BoardUsbRmrr) {
  EXPECT_EQ(status("spec.board-usb-rmrr",
                   "cpu: \"Xeon W3520\"\nmotherboard: \"Dell Precision WorkStation T3500\"\n"
                   "chipset: X58\n"),
            "fail");
  EXPECT_NE(last_message_.find("00:1d.0+00:1d.1"), std::string::npos) << last_message_;
  EXPECT_EQ(status("spec.board-usb-rmrr", "cpu: \"Ryzen 7 5800X\"\nmotherboard: \"ASUS ROG STRIX X570-E GAMING\"\n"),
            "pass");
  EXPECT_EQ(status("spec.board-usb-rmrr", "cpu: \"Ryzen 7 5800X\"\n"), "skip");  // no board, no evidence
}

TEST_F(SpecRules, BoardFirmwareEvidence) {
  EXPECT_EQ(status("spec.board-firmware", "cpu: \"Ryzen 7 5800X\"\nmotherboard: \"ASUS ROG STRIX X570-E GAMING\"\n"),
            "pass");
  EXPECT_NE(last_message_.find("published an IVRS table"), std::string::npos) << last_message_;
  EXPECT_EQ(status("spec.board-firmware", "cpu: \"Ryzen 7 5800X\"\nmotherboard: \"ASRock X570 Taichi\"\n"), "fail");
  EXPECT_NE(last_message_.find("2 of 2 published no IOMMU table"), std::string::npos) << last_message_;
}

TEST_F(SpecRules, EveryRuleIsSkippedOnARealHost) {
  FactStore host;
  host.set("cpu.vmx", true, "test");
  for (const RuleResult& result : rules_.evaluate(host)) {
    EXPECT_EQ(result.status, RuleStatus::kSkip) << result.rule_id << ": " << result.message;
  }
  EXPECT_GE(rules_.size(), 9u);
}

}  // namespace
}  // namespace ptdoctor::spec
