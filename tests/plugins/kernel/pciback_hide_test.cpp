#include "pciback_hide.hpp"

#include <gtest/gtest.h>

#include "bdf.hpp"

namespace ptdoctor::hostplug {
namespace {

using List = std::vector<std::string>;

TEST(PcibackHide, ShortAndFullEntriesBecomeFullBdfs) {
  HideList list = parse_hide_list("(08:00.0)(0000:08:00.1)(0001:0A:1f.7)");
  EXPECT_EQ(list.bdfs, (List{"0000:08:00.0", "0000:08:00.1", "0001:0a:1f.7"}));
  EXPECT_FALSE(list.error);
}

TEST(PcibackHide, WildcardFunctionNamesTheSlot) {
  HideList list = parse_hide_list("(00:1d.*)(08:00.0)");
  EXPECT_EQ(list.wildcards, List{"0000:00:1d"});
  EXPECT_EQ(list.bdfs, List{"0000:08:00.0"});
}

// pcistub_init() also tries " (%x:%x:*.*) %n" and " (%x:*.*) %n": every device of a bus.
TEST(PcibackHide, BusWildcardIsAcceptedLikePcistubInit) {
  HideList list = parse_hide_list("(08:*.*)(0001:0a:*.*)(00:1d.*)");
  EXPECT_FALSE(list.error) << *list.error;
  EXPECT_EQ(list.wildcards, (List{"0000:08", "0001:0a", "0000:00:1d"}));
  EXPECT_TRUE(list.bdfs.empty());
  // Not a bus wildcard: a slot number with *.* , a function wildcard alone, a bus out of range.
  for (const char* text : {"(0000:08:00:*.*)", "(*.*)", "(100:*.*)", "(08:*.0)"}) {
    EXPECT_TRUE(parse_hide_list(text).error) << text;
  }
}

TEST(PcibackHide, ShortHexFieldsAreAcceptedLikeSscanf) {
  // xen-pciback reads entries with sscanf("%x:%x:%x.%x"): "(8:0.1)" is valid there.
  EXPECT_EQ(parse_hide_list("(8:0.1)").bdfs, List{"0000:08:00.1"});
}

// torvalds/linux drivers/xen/xen-pciback/pci_stub.c, pcistub_init(): the first entry sscanf cannot read
// ("Error parsing pci_devs_to_hide") or whose slot/function pcistub_device_id_add() refuses ends the parse before
// pci_register_driver(), so the list hides nothing at all, good entries included, and a module fails to load.
TEST(PcibackHide, OneBadEntryHidesNothingAndNamesThatEntry) {
  HideList list = parse_hide_list("(08:00.0)(zz:00.1)(0000:08:00.1)");
  EXPECT_TRUE(list.bdfs.empty());
  EXPECT_TRUE(list.wildcards.empty());
  ASSERT_TRUE(list.error);
  EXPECT_NE(list.error->find("entry 2 \"(zz:00.1)\""), std::string::npos) << *list.error;
  EXPECT_NE(list.error->find("hides nothing"), std::string::npos) << *list.error;
  EXPECT_NE(list.error->find("fails to load"), std::string::npos) << *list.error;
}

TEST(PcibackHide, OutOfRangeFunctionOrSlotRejectsTheWholeList) {
  for (const char* text : {"(08:00.0)(08:00.9)", "(00:1d.*)(08:20.0)"}) {
    HideList list = parse_hide_list(text);
    EXPECT_TRUE(list.bdfs.empty()) << text;
    EXPECT_TRUE(list.wildcards.empty()) << text;
    ASSERT_TRUE(list.error) << text;
    EXPECT_NE(list.error->find("entry 2"), std::string::npos) << *list.error;
  }
}

TEST(PcibackHide, MissingParenthesesRejectTheList) {
  HideList list = parse_hide_list("(08:00.0),(08:00.1)");
  EXPECT_TRUE(list.bdfs.empty());
  ASSERT_TRUE(list.error);
  EXPECT_NE(list.error->find("entry 2 \",(08:00.1)\": expected \"(\""), std::string::npos) << *list.error;
  HideList open = parse_hide_list("(08:00.0");
  ASSERT_TRUE(open.error);
  EXPECT_NE(open.error->find("missing \")\""), std::string::npos) << *open.error;
}

TEST(PcibackHide, AGoodListHasNoError) {
  HideList list = parse_hide_list(" (08:00.0) (08:00.1)\t");
  EXPECT_FALSE(list.error);
  EXPECT_EQ(list.bdfs, (List{"0000:08:00.0", "0000:08:00.1"}));
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
