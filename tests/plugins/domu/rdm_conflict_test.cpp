// The per-device RDM decision (libxl_dm.c libxl__domain_device_construct_rdm).
#include "rdm_conflict.hpp"

#include <gtest/gtest.h>

namespace ptdoctor::domu {
namespace {

Json region(std::uint64_t base) { return Json::array({{{"base", base}, {"limit", base + 0xffff}}}); }

TEST(RdmConflict, AnRmrrBelowTheBoundaryInsideGuestRamConflicts) {
  // Expert scenario 4: an xHCI RMRR at 0x7ae00000 (1966 MiB), guest memory 8192 MiB.
  EXPECT_TRUE(rmrr_conflicts_with_guest_ram(region(0x7ae00000), 8192, kDefaultRdmMemBoundaryMb));
  EXPECT_TRUE(rmrr_conflicts_with_guest_ram(region(0x7ae00000), std::nullopt, kDefaultRdmMemBoundaryMb));
}

TEST(RdmConflict, AGuestSmallerThanTheRmrrAddressDoesNotConflict) {
  EXPECT_FALSE(rmrr_conflicts_with_guest_ram(region(0x7ae00000), 1024, kDefaultRdmMemBoundaryMb));
}

TEST(RdmConflict, AboveTheBoundaryLibxlMovesGuestRamInstead) {
  // The ICH10 USB RMRR at 0xbf7ec000 (3063 MiB).
  EXPECT_FALSE(rmrr_conflicts_with_guest_ram(region(0xbf7ec000), 8192, kDefaultRdmMemBoundaryMb));
  EXPECT_TRUE(rmrr_conflicts_with_guest_ram(region(0xbf7ec000), 8192, 4000));
  EXPECT_FALSE(rmrr_conflicts_with_guest_ram(region(0x100000000ull), 8192, 8192));  // not low RAM at all
}

TEST(RdmConflict, NoRegionsOrOddFactsAreNoConflict) {
  EXPECT_FALSE(rmrr_conflicts_with_guest_ram(Json::array(), 8192, 2048));
  EXPECT_FALSE(rmrr_conflicts_with_guest_ram(nullptr, 8192, 2048));
  EXPECT_FALSE(rmrr_conflicts_with_guest_ram(Json::array({{{"base", "0x1000"}}}), 8192, 2048));
}

}  // namespace
}  // namespace ptdoctor::domu
