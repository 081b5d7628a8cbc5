#include "xl_info.hpp"

#include <gtest/gtest.h>

namespace ptdoctor::hostplug {
namespace {

TEST(XlInfo, ReadsPaddedKeysAndValuesWithColons) {
  XlInfo info = parse_xl_info("xen_major              : 4\n"
                              "virt_caps              : pv hvm hvm_directio pv_directio hap shadow\n"
                              "xen_changeset          : \n"
                              "cc_compile_date        : Tue Jan  9 11:53:05 UTC 2024\n");
  EXPECT_EQ(info.fields["xen_major"], "4");
  EXPECT_EQ(info.fields["virt_caps"], "pv hvm hvm_directio pv_directio hap shadow");
  EXPECT_EQ(info.fields["xen_changeset"], "");
  EXPECT_EQ(info.fields["cc_compile_date"], "Tue Jan  9 11:53:05 UTC 2024");
  EXPECT_TRUE(info.problems.empty());
}

TEST(XlInfo, GarbageLinesAreProblemsWithLineNumbers) {
  XlInfo info = parse_xl_info("host : dom0\n\nno colon here\n: empty key\nbad key : x\n\x01\x02\n");
  EXPECT_EQ(info.fields.size(), 1u);
  ASSERT_EQ(info.problems.size(), 4u);
  EXPECT_EQ(info.problems[0].line, 3u);
  EXPECT_EQ(info.problems[0].text, "no colon here");
  EXPECT_EQ(info.problems[1].line, 4u);
  EXPECT_EQ(info.problems[2].line, 5u);
  EXPECT_EQ(info.problems[3].text, "??");
}

}  // namespace
}  // namespace ptdoctor::hostplug
