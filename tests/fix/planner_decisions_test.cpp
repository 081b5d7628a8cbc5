// The planner's key decisions, each pinned from both sides so that removing or inverting it fails a test
// (tests/fix/mutate_planner.py makes those mutants): where rdm_policy=relaxed comes from (the DMAR's RMRR scopes,
// through rdm_policy_for), what an unknown DMAR leaves, and the boot-GPU warning.
#include <gtest/gtest.h>

#include <map>

#include "fix/planner.hpp"
#include "fix_test_util.hpp"
#include "guide_machine.hpp"
#include "temp_tree.hpp"
#include "xl_oracle.hpp"

namespace ptdoctor::fix {
namespace {

using testing::guide_choices;
using testing::guide_facts;

class PlanDecision : public ::testing::Test {
 protected:
  void SetUp() override { testing::write_guide_tree(tree); }
  Plan plan(const FactStore& facts) {
    auto host = testing::open_root(tree.path());
    auto made = make_plan(facts, *host, guide_choices());
    EXPECT_TRUE(made) << (made ? "" : made.error().message);
    return made ? std::move(*made) : Plan{};
  }
  // BDF -> relaxed?, as libxlutil reads the planned domU config.
  std::map<std::string, bool> relaxed_by_bdf(const Plan& made) {
    std::map<std::string, bool> relaxed;
    for (const PlanStep& step : made.steps) {
      if (step.id != "domu.config") continue;
      testing::XlParsed parsed = testing::parse_with_libxlutil(step.file->after);
      EXPECT_TRUE(parsed.ok) << parsed.error;
      for (std::size_t i = 0; i < parsed.pci_bdf.size(); ++i) relaxed[parsed.pci_bdf[i]] = parsed.pci_relaxed[i];
    }
    EXPECT_FALSE(relaxed.empty()) << "no domU config planned";
    return relaxed;
  }
  testing::TempTree tree;
};

// The usb plugin's rmrr_shared is off everywhere here: only the DMAR can say that the GPU shares an RMRR.
FactStore gpu_in_a_shared_dmar_rmrr() {
  FactStore facts = guide_facts();
  Json controllers = *facts.find("usb.controllers");
  for (Json& controller : controllers) controller["rmrr_shared"] = false;
  facts.set("usb.controllers", controllers, "test");
  facts.set("acpi.dmar.rmrr",
            Json::array({{{"segment", 0}, {"base", "0xbf7ec000"}, {"limit", "0xbf7fffff"},
                          {"devices", {"0000:08:00.0", "0000:00:02.0"}}}}),
            "test");
  return facts;
}

TEST_F(PlanDecision, ARmrrTheDmarSharesBetweenTheGpuAndAnotherDeviceRelaxesTheGpuOnly) {
  auto relaxed = relaxed_by_bdf(plan(gpu_in_a_shared_dmar_rmrr()));
  EXPECT_TRUE(relaxed["0000:08:00.0"]);
  EXPECT_FALSE(relaxed["0000:08:00.1"]);
  EXPECT_FALSE(relaxed["0000:00:1d.7"]);
}

TEST_F(PlanDecision, WithoutAnRmrrNothingIsRelaxed) {
  FactStore facts = gpu_in_a_shared_dmar_rmrr();
  facts.set("acpi.dmar.rmrr", Json::array(), "test");
  for (const auto& [bdf, relaxed] : relaxed_by_bdf(plan(facts))) EXPECT_FALSE(relaxed) << bdf;
}

// The guide's ICH10 RMRR (USB legacy emulation) lists all six UHCI/EHCI functions: each controller of it is relaxed,
// the GPU, which no RMRR covers, is not. rdm_policy comes from the firmware tables alone (core/fix/rdm_policy.hpp):
// the usb plugin's rmrr_shared is derived from the same acpi.dmar.rmrr, so it cannot add anything.
TEST_F(PlanDecision, TheDmarsSharedUsbRmrrRelaxesEachControllerOfItAndNotTheGpu) {
  auto relaxed = relaxed_by_bdf(plan(guide_facts()));
  for (const char* usb : {"0000:00:1d.0", "0000:00:1d.1", "0000:00:1d.2", "0000:00:1d.7"}) {
    EXPECT_TRUE(relaxed[usb]) << usb;
  }
  EXPECT_FALSE(relaxed["0000:08:00.0"]);
  EXPECT_FALSE(relaxed["0000:08:00.1"]);
}

// Without the DMAR (not root: the ACPI tables are root-only) the RMRRs are unknown: the config stays strict, and the
// plan says which devices that concerns, why, and what to do if libxl then reports an RDM conflict.
TEST_F(PlanDecision, UnknownFirmwareTablesLeaveStrictAndSaySo) {
  FactStore facts = guide_facts();
  facts.set("acpi.dmar.rmrr", nullptr, "");
  facts.set_unknown("acpi.dmar.rmrr", "/sys/firmware/acpi/tables/DMAR: permission denied");
  Plan made = plan(facts);
  for (const auto& [bdf, relaxed] : relaxed_by_bdf(made)) EXPECT_FALSE(relaxed) << bdf;
  const PlanStep* config = nullptr;
  for (const PlanStep& step : made.steps) {
    if (step.id == "domu.config") config = &step;
  }
  ASSERT_NE(config, nullptr);
  std::string warnings;
  for (const std::string& warning : config->warnings) warnings += warning + "\n";
  EXPECT_NE(warnings.find("rdm_policy is left at strict for 0000:08:00.0, 0000:08:00.1, 0000:00:1d.0"),
            std::string::npos)
      << warnings;
  EXPECT_NE(warnings.find("DMAR: permission denied"), std::string::npos) << warnings;
  EXPECT_NE(warnings.find("RDM conflict"), std::string::npos) << warnings;
  // With the tables known, nothing is said.
  for (const PlanStep& step : plan(guide_facts()).steps) {
    for (const std::string& warning : step.warnings) EXPECT_EQ(warning.find("left at strict"), std::string::npos);
  }
}

TEST_F(PlanDecision, ChoosingTheBootGpuIsWarnedAndASecondaryCardIsNot) {
  std::string needle = "0000:08:00.0 is the boot GPU";
  auto warned = [&](const Plan& made) {
    for (const std::string& warning : made.warnings) {
      if (warning.find(needle) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_FALSE(warned(plan(guide_facts())));
  FactStore facts = guide_facts();
  Json candidates = *facts.find("gpu.candidates");
  candidates[0]["boot_vga"] = true;
  facts.set("gpu.candidates", candidates, "test");
  EXPECT_TRUE(warned(plan(facts)));
}

}  // namespace
}  // namespace ptdoctor::fix
