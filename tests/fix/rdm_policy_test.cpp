// The per-device rdm_policy decision (core/fix/rdm_policy.hpp): relaxed for a shared RMRR and for an RDM (a VT-d
// RMRR or an AMD IVMD unity range covering the device) below rdm_mem_boundary; strict otherwise.
#include "fix/rdm_policy.hpp"

#include <gtest/gtest.h>

namespace ptdoctor::fix {
namespace {

FactStore with_rmrrs(Json rmrrs) {
  FactStore facts;
  facts.set("acpi.dmar.rmrr", std::move(rmrrs), "test");
  return facts;
}

TEST(RdmPolicy, OwnRmrrBelowTheDefaultBoundaryIsRelaxed) {
  FactStore facts = with_rmrrs(Json::array({{{"base", 0x7ae00000}, {"limit", 0x7ae0ffff},
                                              {"devices", Json::array({"0000:00:14.0"})}}}));
  RdmDecision decision = rdm_policy_for(facts, "0000:00:14.0");
  EXPECT_TRUE(decision.relaxed);
  EXPECT_NE(decision.reason.find("RDM conflict at 0x7ae00000"), std::string::npos) << decision.reason;
  EXPECT_FALSE(decision.unknown);
  // Another device is not touched by it.
  EXPECT_FALSE(rdm_policy_for(facts, "0000:01:00.0").relaxed);
}

TEST(RdmPolicy, OwnRmrrAboveTheBoundaryStaysStrictUnlessTheBoundaryIsRaised) {
  FactStore facts = with_rmrrs(Json::array({{{"base", 0xC0000000ULL}, {"limit", 0xC00FFFFFULL},
                                              {"devices", Json::array({"0000:00:14.0"})}}}));
  EXPECT_FALSE(rdm_policy_for(facts, "0000:00:14.0").relaxed);
  EXPECT_TRUE(rdm_policy_for(facts, "0000:00:14.0", 4096).relaxed);
}

TEST(RdmPolicy, SharedRmrrIsRelaxedWhereverItLies) {
  FactStore facts = with_rmrrs(Json::array({{{"base", 0xC0000000ULL}, {"limit", 0xC00FFFFFULL},
                                              {"devices", Json::array({"0000:00:1d.0", "0000:00:1d.7"})}}}));
  RdmDecision decision = rdm_policy_for(facts, "0000:00:1d.7");
  EXPECT_TRUE(decision.relaxed);
  EXPECT_NE(decision.reason.find("shared with 0000:00:1d.0"), std::string::npos) << decision.reason;
}

TEST(RdmPolicy, IvmdUnityRangeForTheDeviceCounts) {
  FactStore facts;
  facts.set("acpi.ivrs.ivmd",
            Json::array({{{"type", "0x21"}, {"unity", true}, {"first_bdf", "0000:0a:00.3"}, {"last_bdf", "0000:0a:00.3"},
                          {"start", 0x9d000000}, {"length", 0x100000}},
                         {{"type", "0x22"}, {"unity", false}, {"exclusion", true}, {"first_bdf", "0000:00:00.0"},
                          {"last_bdf", "0000:ff:1f.7"}, {"start", 0x1000}, {"length", 0x1000}}}),
            "test");
  // 0x9d000000 (2512 MB) lies above the default rdm_mem_boundary, where libxl moves the guest's low memory end below
  // the region instead of failing (libxl_dm.c, "Just check if RDM > our memory boundary"): strict works there, for
  // an IVMD as for an RMRR. The region is still the device's RDM, and a higher boundary makes it conflict.
  RdmDecision above = rdm_policy_for(facts, "0000:0a:00.3");
  EXPECT_FALSE(above.relaxed) << above.reason;
  ASSERT_EQ(above.regions.size(), 1u);
  EXPECT_EQ(above.regions[0].source, "IVMD");
  EXPECT_EQ(above.regions[0].end, 0x9d0fffffULL);
  RdmDecision decision = rdm_policy_for(facts, "0000:0a:00.3", 4096);
  EXPECT_TRUE(decision.relaxed);
  EXPECT_NE(decision.reason.find("IVMD 0x9d000000-0x9d0fffff"), std::string::npos) << decision.reason;
  // The exclusion range at 0x1000 is below any boundary, yet it is no RDM: it is not mapped into guests.
  EXPECT_FALSE(rdm_policy_for(facts, "0000:05:00.0", 4096).relaxed);
  EXPECT_TRUE(rdm_policy_for(facts, "0000:05:00.0", 4096).regions.empty());
}

TEST(RdmPolicy, NoFirmwareFactsIsStrictAndSaysWhy) {
  FactStore facts;
  RdmDecision decision = rdm_policy_for(facts, "0000:00:14.0");
  EXPECT_FALSE(decision.relaxed);
  ASSERT_TRUE(decision.unknown);
}

}  // namespace
}  // namespace ptdoctor::fix
