// The libxlutil face: values and pci= entries exactly as xl reads them.
#include "xl_parser.hpp"

#include <gtest/gtest.h>

#include <utility>

namespace ptdoctor::domu {
namespace {

TEST(XlParser, ReadsTextsNumbersAndLists) {
  XlConfig xl("name = \"win\"\nmemory = 4096\npci = [ '08:00.0', '08:00.1' ]\n", "win.cfg");
  ASSERT_TRUE(xl.ok()) << xl.report();
  EXPECT_EQ(xl.text("name"), "win");
  EXPECT_EQ(xl.number("memory"), 4096);
  EXPECT_EQ(xl.list("pci"), (std::vector<std::string>{"08:00.0", "08:00.1"}));
  EXPECT_FALSE(xl.text("pci").has_value());
  EXPECT_FALSE(xl.number("maxmem").has_value());
}

TEST(XlParser, ASyntaxErrorIsReportedWithTheFileNameLibxlutilWasGiven) {
  XlConfig xl("name = \"win\"\nvcpus = = 2\n", "/etc/xen/win");
  EXPECT_FALSE(xl.ok());
  EXPECT_NE(xl.report().find("/etc/xen/win"), std::string::npos) << xl.report();
  EXPECT_FALSE(xl.text("name").has_value());  // nothing is read from a config that did not parse
}

// Found by tests/fuzz (domu_config): libxlutil asserts on a NUL byte inside a quoted string and aborts the process.
TEST(XlParser, ANulByteIsRefusedBeforeLibxlutilSeesIt) {
  using namespace std::string_literals;
  XlConfig xl("name = \"win\"\nkernel = '\0'\n"s, "/etc/xen/win");
  EXPECT_FALSE(xl.ok());
  EXPECT_EQ(xl.report(), "/etc/xen/win:2: holds a NUL byte (offset 23): not a text file, and xl's parser cannot read it");
  EXPECT_FALSE(xl.text("name").has_value());
}

TEST(XlParser, PciEntriesTakeTheGlobalDefaultsThenTheirOwnOptions) {
  XlConfig xl("pci = []\n", "x.cfg");
  PciDefaults defaults;
  defaults.msitranslate = true;
  PciSpec plain = xl.pci("08:00.0", defaults);
  ASSERT_TRUE(plain.parsed);
  EXPECT_EQ(plain.bdf, "0000:08:00.0");
  EXPECT_TRUE(plain.msitranslate);
  EXPECT_FALSE(plain.rdm_relaxed);
  PciSpec own = xl.pci("0000:00:1d.7@05,msitranslate=0,rdm_policy=relaxed", defaults);
  ASSERT_TRUE(own.parsed);
  EXPECT_EQ(own.bdf, "0000:00:1d.7");
  EXPECT_FALSE(own.msitranslate);
  EXPECT_TRUE(own.rdm_relaxed);
  PciSpec slot = xl.pci("00:1d.*", {});
  ASSERT_TRUE(slot.parsed);
  EXPECT_TRUE(slot.all_functions);
  EXPECT_EQ(slot.bdf.substr(0, 12), "0000:00:1d.0");
}

TEST(XlParser, ABadPciEntryIsAnErrorWithLibxlutilsWords) {
  XlConfig xl("pci = []\n", "x.cfg");
  PciSpec bad = xl.pci("08:00.0,rdm_policy=sometimes", {});
  EXPECT_FALSE(bad.parsed);
  EXPECT_FALSE(bad.error.empty());
  EXPECT_FALSE(xl.pci("not a bdf", {}).parsed);
}

// Found by tests/fuzz (domu_config): libxlutil 4.17's parse_bdf advances by an unset sscanf %n when an address has
// no ".F", so these entries made it read stray memory and crash now and then. They never reach libxlutil now.
TEST(XlParser, AnAddressWithoutItsFunctionIsRefusedBeforeLibxlutilMisreadsIt) {
  XlConfig xl("pci = []\n", "x.cfg");
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"0:2", "0:2"},           {"0000:08:00", "0000:08:00"},         {"08:00@05", "08:00"},
      {"08:00,seize=1", "08:00"}, {"bdf=08:00", "08:00"},             {"seize=1,bdf=08:00,permissive=1", "08:00"},
      {"08:00.0,bdf=09:00", "09:00"}, {"08:00 .0", "08:00 .0"}};
  for (const auto& [spec, address] : refused) {
    const PciSpec parsed = xl.pci(spec, {});
    EXPECT_FALSE(parsed.parsed) << spec;
    const std::string where = address == spec ? "" : " in '" + spec + "'";
    EXPECT_NE(parsed.error.find("PCI address '" + address + "'" + where + " has no function"), std::string::npos)
        << spec << ": " << parsed.error;
  }
  // Whole addresses, named devices and bdf= keys with a function still go to libxlutil and parse.
  EXPECT_EQ(xl.pci("bdf=08:00.1,seize=1", {}).bdf, "0000:08:00.1");
  EXPECT_TRUE(xl.pci("seize=1,bdf=0000:08:00.1", {}).parsed);
  EXPECT_TRUE(xl.pci("name=gpu0", {}).parsed);
  EXPECT_EQ(xl.pci("8:0.0", {}).bdf, "0000:08:00.0");
}

// Xen's parser bug (tools/libs/util/libxlu_pci.c xlu_rdm_parse, since 4.15): any policy= rejects the whole rdm=.
// If the libxlutil installed here is ever fixed, this test says so.
TEST(XlParser, GlobalRdmWithAPolicyIsRejectedByXlsOwnParser) {
  XlConfig xl("name = \"x\"\n", "x.cfg");
  EXPECT_TRUE(xl.rdm_accepted("strategy=host"));
  EXPECT_FALSE(xl.rdm_accepted("strategy=host,policy=relaxed"));
  EXPECT_FALSE(xl.rdm_accepted("strategy=host,policy=strict"));
}

}  // namespace
}  // namespace ptdoctor::domu
