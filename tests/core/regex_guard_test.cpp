// compile_pattern refuses, before std::regex sees them, the counts and back-reference numbers libstdc++'s
// compiler reads without an overflow check, wherever an escape places them; and still compiles what rules use.
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "regex_guard.hpp"

namespace ptdoctor {
namespace {

TEST(RegexGuard, RefusesOverlongNumbersWhereverTheyHide) {
  const std::string digits(20, '4');
  for (const std::string& pattern : {"x{" + digits + "}", "x{1," + digits + "}", "(a)\\" + digits,
                                     // "\cX" takes X whatever it is: the backslash after "\c" is the control
                                     // letter, and the one after it starts a back-reference.
                                     "info\\c\\\\" + digits, "a\\\\\\c\\\\" + digits, "[\\c\\\\" + digits + "]"}) {
    std::regex compiled;
    auto problem = compile_pattern(pattern, false, compiled);
    ASSERT_TRUE(problem.has_value()) << pattern;
    EXPECT_NE(problem->find("more than 9 digits"), std::string::npos) << *problem;
  }
}

TEST(RegexGuard, CompilesOrdinaryPatterns) {
  for (const std::string pattern : {"^amdgpu", "x{3}", "x{1,12}", "(a)\\1", "\\cJ", "\\c\\d", "a\\\\1{2}",
                                    "[0-9]+-[0-9]+"}) {
    std::regex compiled;
    EXPECT_EQ(compile_pattern(pattern, false, compiled), std::nullopt) << pattern;
  }
}

}  // namespace
}  // namespace ptdoctor
