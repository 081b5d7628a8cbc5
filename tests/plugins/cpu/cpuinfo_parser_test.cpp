#include "cpuinfo_parser.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ptdoctor::cpu {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

TEST(Cpuinfo, ReadsTheFirstProcessorBlockOnly) {
  CpuinfoFacts facts = parse_cpuinfo(
      "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 158\n"
      "model name\t: Intel(R) Core(TM) i7-9700K CPU @ 3.60GHz\nstepping\t: 13\n"
      "flags\t\t: fpu vme  vmx\tsmx\nvmx flags\t: vnmi ept\n\n"
      "processor\t: 1\nvendor_id\t: AuthenticAMD\nflags\t\t: svm\n",
      "/proc/cpuinfo");
  EXPECT_THAT(facts.problems, SizeIs(0));
  EXPECT_EQ(facts.vendor_id, "GenuineIntel");
  EXPECT_EQ(facts.family, 6);
  EXPECT_EQ(facts.model, 158);
  EXPECT_EQ(facts.stepping, 13);
  EXPECT_EQ(facts.model_name, "Intel(R) Core(TM) i7-9700K CPU @ 3.60GHz");
  ASSERT_TRUE(facts.flags);
  EXPECT_EQ(*facts.flags, (std::set<std::string>{"fpu", "vme", "vmx", "smx"}));
  EXPECT_TRUE(facts.vmx_flags_line);
}

TEST(Cpuinfo, NoVmxFlagsLineMeansNotProvenEnabled) {
  CpuinfoFacts facts = parse_cpuinfo("processor : 0\nflags : fpu hypervisor\n", "/proc/cpuinfo");
  EXPECT_FALSE(facts.vmx_flags_line);
  EXPECT_EQ(facts.flags->count("hypervisor"), 1u);
}

TEST(Cpuinfo, GarbageIsReportedWithLineNumbers) {
  CpuinfoFacts facts = parse_cpuinfo(std::string("\x7f" "ELF\x02\x01\x01\0garbage\nprocessor 0 no colon here\n"
                                                 "cpu family\t: six\nflags\t: \xff\xfe\n",
                                                 70),
                                     "/proc/cpuinfo");
  ASSERT_THAT(facts.problems, SizeIs(4));
  EXPECT_THAT(facts.problems[0], HasSubstr("/proc/cpuinfo: line 1: expected 'name : value'"));
  EXPECT_THAT(facts.problems[1], HasSubstr("line 2: expected 'name : value', found 'processor 0 no colon here'"));
  EXPECT_THAT(facts.problems[2], HasSubstr("line 3: 'cpu family' is not a number: 'six'"));
  EXPECT_THAT(facts.problems[3], HasSubstr("line 4"));
  EXPECT_FALSE(facts.family);
  EXPECT_FALSE(facts.flags);
}

TEST(Cpuinfo, EmptyTextGivesNothing) {
  CpuinfoFacts facts = parse_cpuinfo("\n\n", "/proc/cpuinfo");
  EXPECT_FALSE(facts.flags);
  EXPECT_FALSE(facts.vendor_id);
  EXPECT_THAT(facts.problems, SizeIs(0));
}

}  // namespace
}  // namespace ptdoctor::cpu
