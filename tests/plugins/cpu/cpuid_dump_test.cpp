#include "cpuid_dump.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "capture_files.hpp"

namespace ptdoctor::cpu {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr const char* kLeaf0 = "   0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n";

TEST(CpuidCapture, ParsesTheRealCaptureOfThisMachine) {
  ParsedCapture parsed = parse_cpuid_capture(testing::capture_file("this-machine.txt"), "this-machine.txt");
  EXPECT_THAT(parsed.problems, SizeIs(0));
  EXPECT_EQ(parsed.cpu, 0);
  auto leaf0 = parsed.dump.get(0);
  ASSERT_TRUE(leaf0);
  EXPECT_EQ(leaf0->ebx, 0x68747541u);  // "Auth"
  EXPECT_GT(parsed.dump.size(), 40u);
  EXPECT_TRUE(parsed.dump.get(0x7, 0x1));  // subleaves are kept apart
}

TEST(CpuidCapture, KeepsOnlyTheFirstCpuSection) {
  ParsedCapture parsed = parse_cpuid_capture(
      "CPU 0:\n   0x00000001 0x00: eax=0x00000001 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
      "CPU 1:\n   0x00000001 0x00: eax=0x00000002 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
      "   garbage in a section that is skipped\n",
      "c");
  EXPECT_THAT(parsed.problems, SizeIs(0));
  ASSERT_TRUE(parsed.dump.get(1));
  EXPECT_EQ(parsed.dump.get(1)->eax, 1u);
}

TEST(CpuidCapture, AcceptsLeavesWithoutHeadingCommentsAndCrlf) {
  ParsedCapture parsed = parse_cpuid_capture(std::string("# made by hand\r\n") + kLeaf0 + "\r\n", "c");
  EXPECT_THAT(parsed.problems, SizeIs(0));
  EXPECT_EQ(parsed.cpu, -1);
  EXPECT_TRUE(parsed.dump.get(0));
}

TEST(CpuidCapture, ReportsGarbageWithFileAndLineAndKeepsTheRest) {
  ParsedCapture parsed = parse_cpuid_capture(std::string("CPU 0:\n") + "this is not cpuid output\n" + kLeaf0,
                                             "/root/.ptdoctor/capture/cpuid.txt");
  ASSERT_THAT(parsed.problems, SizeIs(1));
  EXPECT_THAT(parsed.problems[0], HasSubstr("/root/.ptdoctor/capture/cpuid.txt: line 2: not a `cpuid -r` leaf"));
  EXPECT_THAT(parsed.problems[0], HasSubstr("this is not cpuid output"));
  EXPECT_TRUE(parsed.dump.get(0));
}

TEST(CpuidCapture, ReportsATruncatedLine) {
  ParsedCapture parsed =
      parse_cpuid_capture(std::string(kLeaf0) + "   0x00000001 0x00: eax=0x000906ed ebx=0x0010\n", "c");
  ASSERT_THAT(parsed.problems, SizeIs(1));
  EXPECT_THAT(parsed.problems[0], HasSubstr("line 2: expected 4 registers"));
  EXPECT_THAT(parsed.problems[0], HasSubstr("found 2 (line truncated?)"));
  EXPECT_FALSE(parsed.dump.get(1));
}

TEST(CpuidCapture, ReportsBadRegistersSubleavesAndHeadings) {
  ParsedCapture parsed = parse_cpuid_capture(
      "CPU zero:\n"
      "   0x00000001 0x00: eax=0xZZ ebx=0x0 ecx=0x0 edx=0x0\n"
      "   0x00000002 00 eax=0x0 ebx=0x0 ecx=0x0 edx=0x0\n"
      "   0x00000003 0x00: ebx=0x0 eax=0x0 ecx=0x0 edx=0x0\n"
      "   0x00000004 0x00: eax=0x0 ebx=0x0 ecx=0x0 edx=0x0 extra\n"
      "   0x1ffffffff 0x00: eax=0x0 ebx=0x0 ecx=0x0 edx=0x0\n",
      "c");
  ASSERT_THAT(parsed.problems, SizeIs(6));
  EXPECT_THAT(parsed.problems[0], HasSubstr("line 1: expected a heading like 'CPU 0:'"));
  EXPECT_THAT(parsed.problems[1], HasSubstr("line 2: expected eax=0x"));
  EXPECT_THAT(parsed.problems[2], HasSubstr("line 3: expected a subleaf"));
  EXPECT_THAT(parsed.problems[3], HasSubstr("line 4: expected eax=0x"));
  EXPECT_THAT(parsed.problems[4], HasSubstr("line 5: unexpected text after edx="));
  EXPECT_THAT(parsed.problems[5], HasSubstr("line 6: expected a leaf number"));
  EXPECT_TRUE(parsed.dump.empty());
}

TEST(CpuidCapture, KeepsTheFirstOfADuplicatedLeaf) {
  ParsedCapture parsed = parse_cpuid_capture(
      std::string(kLeaf0) + "   0x00000000 0x00: eax=0x00000001 ebx=0x0 ecx=0x0 edx=0x0\n", "c");
  ASSERT_THAT(parsed.problems, SizeIs(1));
  EXPECT_THAT(parsed.problems[0], HasSubstr("appears twice"));
  EXPECT_EQ(parsed.dump.get(0)->eax, 0xdu);
}

TEST(CpuidCapture, CapsTheNumberOfProblemsAndSurvivesBinaryJunk) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += std::string("0x\0\xff\xfe junk\n", 11);
  ParsedCapture parsed = parse_cpuid_capture(text, "c");
  ASSERT_THAT(parsed.problems, SizeIs(kMaxProblems + 1));
  EXPECT_THAT(parsed.problems.back(), HasSubstr("80 more bad lines"));
  EXPECT_THAT(parsed.problems[0], HasSubstr("'0x???"));
}

TEST(CpuidCapture, EmptyTextGivesNothing) {
  ParsedCapture parsed = parse_cpuid_capture("", "c");
  EXPECT_TRUE(parsed.dump.empty());
  EXPECT_THAT(parsed.problems, SizeIs(0));
}

}  // namespace
}  // namespace ptdoctor::cpu
