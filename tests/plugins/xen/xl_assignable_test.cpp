#include "xl_assignable.hpp"

#include <gtest/gtest.h>

namespace ptdoctor::hostplug {
namespace {

TEST(XlAssignable, ReadsTheFirstWordOfEachLineAsAnAddressOnce) {
  AssignableList list = parse_assignable_list("0000:08:00.0\n08:00.1 some-name\n\n0000:08:00.0\n0000:0A:00.0\n");
  EXPECT_EQ(list.bdfs, (std::vector<std::string>{"0000:08:00.0", "0000:08:00.1", "0000:0a:00.0"}));
  EXPECT_TRUE(list.problems.empty());
}

TEST(XlAssignable, OtherLinesAreProblemsWithTheirLineAndAShortWord) {
  AssignableList list = parse_assignable_list("libxl: error: cannot open\n0000:08:00.0\n" + std::string(100, 'x'));
  EXPECT_EQ(list.bdfs, (std::vector<std::string>{"0000:08:00.0"}));
  ASSERT_EQ(list.problems.size(), 2u);
  EXPECT_EQ(list.problems[0].line, 1u);
  EXPECT_EQ(list.problems[0].word, "libxl:");
  EXPECT_EQ(list.problems[1].line, 3u);
  EXPECT_EQ(list.problems[1].word, std::string(40, 'x'));
}

}  // namespace
}  // namespace ptdoctor::hostplug
