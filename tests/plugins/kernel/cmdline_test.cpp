#include "cmdline.hpp"

#include <gtest/gtest.h>

namespace ptdoctor::hostplug {
namespace {

using Values = std::vector<std::string>;

TEST(Cmdline, SplitsFlagsAndValues) {
  Cmdline cmdline = parse_cmdline("BOOT_IMAGE=/vmlinuz ro quiet intel_iommu=on\n");
  EXPECT_EQ(cmdline.params["BOOT_IMAGE"], Values{"/vmlinuz"});
  EXPECT_EQ(cmdline.params["ro"], Values{""});
  EXPECT_EQ(cmdline.params["intel_iommu"], Values{"on"});
  EXPECT_EQ(cmdline.params.size(), 4u);
}

TEST(Cmdline, QuotedValueKeepsBlanksAndLosesQuotes) {
  Cmdline cmdline = parse_cmdline(R"(dyndbg="file drivers/xen/* +p" "quoted=whole word" x=a"b c"d)");
  EXPECT_EQ(cmdline.params["dyndbg"], Values{"file drivers/xen/* +p"});
  EXPECT_EQ(cmdline.params["quoted"], Values{"whole word"});
  EXPECT_EQ(cmdline.params["x"], Values{"ab cd"});
}

TEST(Cmdline, RepeatedKeysKeepEveryValueInOrder) {
  Cmdline cmdline = parse_cmdline("console=tty0 console=ttyS0,115200 console=hvc0");
  EXPECT_EQ(cmdline.params["console"], (Values{"tty0", "ttyS0,115200", "hvc0"}));
}

TEST(Cmdline, DashesAndUnderscoresAreTheSameName) {
  Cmdline cmdline = parse_cmdline("xen-pciback.hide=(01:00.0) xen_pciback.permissive=1");
  EXPECT_EQ(cmdline.params["xen_pciback.hide"], Values{"(01:00.0)"});
  EXPECT_EQ(cmdline.params["xen_pciback.permissive"], Values{"1"});
  EXPECT_EQ(cmdline.params.count("xen-pciback.hide"), 0u);
}

TEST(Cmdline, OnlyTheFirstEqualsSplits) {
  Cmdline cmdline = parse_cmdline("root=UUID=abcd-1234 dom0_mem=4096M,max:4096M");
  EXPECT_EQ(cmdline.params["root"], Values{"UUID=abcd-1234"});
}

TEST(Cmdline, WordsAfterDoubleDashGoToInit) {
  Cmdline cmdline = parse_cmdline("quiet -- single emergency=1");
  EXPECT_EQ(cmdline.params.size(), 1u);
  EXPECT_EQ(cmdline.init_args, (Values{"single", "emergency=1"}));
}

TEST(Cmdline, XenStyleKeepsNamesAsWritten) {
  Cmdline cmdline = parse_cmdline("dom0-mem=1G iommu=no-intremap", CmdlineOptions{false, false});
  EXPECT_EQ(cmdline.params.count("dom0-mem"), 1u);
  EXPECT_EQ(cmdline.params["iommu"], Values{"no-intremap"});
}

TEST(Cmdline, UnbalancedQuoteRunsToTheEndWithoutCrashing) {
  Cmdline cmdline = parse_cmdline("a=1 b=\"unterminated c=3");
  EXPECT_EQ(cmdline.params["a"], Values{"1"});
  EXPECT_EQ(cmdline.params["b"], Values{"unterminated c=3"});
  EXPECT_EQ(cmdline.params.count("c"), 0u);
}

TEST(Cmdline, EmptyAndBlankLinesHaveNoParams) {
  EXPECT_TRUE(parse_cmdline("").params.empty());
  EXPECT_TRUE(parse_cmdline(" \t\n").params.empty());
}

}  // namespace
}  // namespace ptdoctor::hostplug
