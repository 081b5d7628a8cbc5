#include "pciback_hide.hpp"

#include <gtest/gtest.h>

#include "bdf.hpp"

namespace ptdoctor::hostplug {
namespace {

using List = std::vector<std::string>;

TEST(PcibackHide, ShortAndFullEntriesBecomeFullBdfs) {
  HideList list = parse_hide_list("(08:00.0)(0000:08:00.1)(0001:0A:1f.7)");
  EXPECT_EQ(list.bdfs, (List{"0000:08:00.0", "0000:08:00.1", "0001:0a:1f.7"}));
  EXPECT_TRUE(list.errors.empty());
}

TEST(PcibackHide, WildcardFunctionNamesTheSlot) {
  HideList list = parse_hide_list("(00:1d.*)(08:00.0)");
  EXPECT_EQ(list.wildcards, List{"0000:00:1d"});
  EXPECT_EQ(list.bdfs, List{"0000:08:00.0"});
}

TEST(PcibackHide, ShortHexFieldsAreAcceptedLikeSscanf) {
  // xen-pciback reads entries with sscanf("%x:%x:%x.%x"): "(8:0.1)" is valid there.
  EXPECT_EQ(parse_hide_list("(8:0.1)").bdfs, List{"0000:08:00.1"});
}

TEST(PcibackHide, EachBadEntryGetsItsOwnErrorAndGoodOnesSurvive) {
  HideList list = parse_hide_list("(08:00.0)(zz:00.1)(08:00.9)(08:20.0)(0000:08:00.1)");
  EXPECT_EQ(list.bdfs, (List{"0000:08:00.0", "0000:08:00.1"}));
  ASSERT_EQ(list.errors.size(), 3u);
  EXPECT_NE(list.errors[0].find("entry 2 \"(zz:00.1)\""), std::string::npos) << list.errors[0];
  EXPECT_NE(list.errors[1].find("(08:00.9)"), std::string::npos);  // function > 7
  EXPECT_NE(list.errors[2].find("(08:20.0)"), std::string::npos);  // slot > 0x1f
}

TEST(PcibackHide, MissingParenthesesStopParsingWithAnError) {
  HideList list = parse_hide_list("(08:00.0),(08:00.1)");
  EXPECT_EQ(list.bdfs, List{"0000:08:00.0"});
  ASSERT_EQ(list.errors.size(), 1u);
  EXPECT_NE(list.errors[0].find("expected \"(\""), std::string::npos);
  EXPECT_EQ(parse_hide_list("(08:00.0").errors.size(), 1u);
}

TEST(PcibackHide, RepeatsAreListedOnce) {
  EXPECT_EQ(parse_hide_list("(08:00.0) (08:00.0)").bdfs, List{"0000:08:00.0"});
}

TEST(Bdf, NormalizesAndRejects) {
  EXPECT_EQ(normalize_bdf("0000:08:00.0"), "0000:08:00.0");
  EXPECT_EQ(normalize_bdf("0A:1F.3"), "0000:0a:1f.3");
  EXPECT_FALSE(normalize_bdf("08:00"));
  EXPECT_FALSE(normalize_bdf("08:00.0 "));
  EXPECT_FALSE(normalize_bdf("1:2:3:4.0"));
  EXPECT_FALSE(normalize_bdf(""));
}

}  // namespace
}  // namespace ptdoctor::hostplug
