#include "text_cleaning.hpp"

#include <gtest/gtest.h>

#include "report_samples.hpp"
#include "test_text.hpp"

namespace ptdoctor::reports {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST(TextCleaning, KeepsValidUtf8AndNewlines) {
  EXPECT_EQ(clean_text("Intel® Core™ ✓\nline two"), "Intel® Core™ ✓\nline two");
}

TEST(TextCleaning, ReplacesInvalidBytesOneByOne) {
  EXPECT_EQ(clean_text("a\xff" "b"), "a" + kFffd + "b");
  EXPECT_EQ(clean_text("\xc3"), kFffd);                                     // truncated at the end
  EXPECT_EQ(clean_text("\xc0\xaf"), kFffd + kFffd);                         // overlong '/'
  EXPECT_EQ(clean_text("\xed\xa0\x80"), kFffd + kFffd + kFffd);             // UTF-16 surrogate
  EXPECT_EQ(clean_text("\xf4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);  // above U+10FFFF
  EXPECT_TRUE(testing::is_valid_utf8(clean_text(testing::kHostileBytes)));
}

TEST(TextCleaning, NeutralisesTerminalControlsAndBidiOverrides) {
  EXPECT_EQ(clean_text("\x1b[31mred"), kFffd + "[31mred");
  EXPECT_EQ(clean_text("a\rb\x7f" "c"), "a" + kFffd + "b" + kFffd + "c");
  EXPECT_EQ(clean_text("\xc2\x9b" "2J"), kFffd + "2J");    // C1 CSI
  EXPECT_EQ(clean_text("x\xe2\x80\xaey"), "x" + kFffd + "y");  // U+202E right-to-left override
  EXPECT_EQ(clean_text("a\tb"), "a b");
}

TEST(TextCleaning, CleanLineFoldsLineBreaks) {
  EXPECT_EQ(clean_line("  first\n\n  second \n"), "first second");
  EXPECT_EQ(clean_line(""), "");
}

TEST(TextCleaning, DisplayWidthCountsCodePoints) {
  EXPECT_EQ(display_width("✓ ok"), 4u);
  EXPECT_EQ(display_width(""), 0u);
}

TEST(TextCleaning, WrapsAtWordsWithinWidth) {
  auto lines = wrap_words("the quick brown fox jumps over the lazy dog", 10);
  EXPECT_EQ(lines, (std::vector<std::string>{"the quick", "brown fox", "jumps over", "the lazy", "dog"}));
}

TEST(TextCleaning, WrapKeepsACommandInBackticksOnOneLine) {
  auto lines = wrap_words("then run `apt install xen-system-amd64` and reboot", 30);
  EXPECT_EQ(lines, (std::vector<std::string>{"then run", "`apt install xen-system-amd64`", "and reboot"}));
  // A span longer than a line is never split (the pasted command would be wrong): it overflows on a line of its own.
  auto long_span = wrap_words("run `cpuid -r > ROOT/.ptdoctor/capture/cpuid.txt` as root", 12);
  EXPECT_EQ(long_span, (std::vector<std::string>{"run", "`cpuid -r > ROOT/.ptdoctor/capture/cpuid.txt`", "as root"}));
}

TEST(TextCleaning, WrapKeepsLongWordsWholeAndLineBreaks) {
  auto lines = wrap_words("see https://xenbits.xen.org/docs/unstable/SUPPORT.html\nnext", 12);
  EXPECT_EQ(lines, (std::vector<std::string>{"see", "https://xenbits.xen.org/docs/unstable/SUPPORT.html", "next"}));
  EXPECT_EQ(wrap_words("", 10), std::vector<std::string>{""});
}

}  // namespace
}  // namespace ptdoctor::reports
