// Line numbers of xl config settings: what libxlutil's public API does not give.
#include "key_lines.hpp"

#include <gtest/gtest.h>

namespace ptdoctor::domu {
namespace {

TEST(KeyLines, EachKeyHasTheLineOfItsAssignment) {
  auto lines = key_lines("# comment = 1\nname = \"win\"\n\nmemory=4096\n  vcpus = 2 ; boot = 'c'\n");
  EXPECT_EQ(lines.at("name").line, 2);
  EXPECT_EQ(lines.at("memory").line, 4);
  EXPECT_EQ(lines.at("vcpus").line, 5);
  EXPECT_EQ(lines.at("boot").line, 5);  // `;` ends a statement too
  EXPECT_EQ(lines.count("comment"), 0u);
}

TEST(KeyLines, ListItemsSpanningLinesKeepTheirOwnLines) {
  auto lines = key_lines("pci = [ '01:00.0', '01:00.1',\n        '00:1d.0',\n# a comment, '00:1a.0'\n  '00:1d.7' ]\n"
                         "disk = ['phy:/dev/vg/win,hda,w']\n");
  EXPECT_EQ(lines.at("pci").line, 1);
  EXPECT_EQ(lines.at("pci").item_lines, (std::vector<int>{1, 1, 2, 4}));
  EXPECT_EQ(lines.at("disk").line, 5);
  EXPECT_EQ(lines.at("disk").item_lines, (std::vector<int>{5}));
}

TEST(KeyLines, WordsInsideStringsAreNotKeys) {
  auto lines = key_lines("extra = \"console=hvc0 root=/dev/xvda1\"\nname = 'a\\'b = c'\nvif = [ \"bridge=xenbr0\" ]\n");
  EXPECT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines.at("name").line, 2);
  EXPECT_EQ(lines.at("vif").line, 3);
}

TEST(KeyLines, TheLastAssignmentWinsAndAppendingKeepsItems) {
  auto lines = key_lines("pci = [ 'a' ]\npci = [ 'b', 'c' ]\npci += [ 'd' ]\n");
  EXPECT_EQ(lines.at("pci").line, 2);
  EXPECT_EQ(lines.at("pci").item_lines, (std::vector<int>{2, 2, 3}));
}

TEST(KeyLines, BrokenTextNeverThrowsAndKeepsCounting) {
  auto lines = key_lines("name = \"unterminated\nmemory = 1\n]]]\n[[[\nvcpus = 2\n");
  // The unterminated string swallows the rest, as libxlutil's lexer would reject it: no crash, no invention.
  EXPECT_EQ(lines.at("name").line, 1);
  EXPECT_EQ(lines.count("vcpus"), 0u);
  EXPECT_TRUE(key_lines(std::string(1000, '[')).empty());
}

// Found by the domu_config fuzz target (tests/fuzz): a ';' inside brackets, or a vertical tab or form feed outside
// quotes, was neither a separator nor part of a word, and the scanner stood still on it forever.
TEST(KeyLines, EveryCharacterMovesTheScanOn) {
  auto lines = key_lines("pci = [ '08:00.0'; '08:00.1' ]\nmemory = 1\f\v\nvcpus = 2\n");
  EXPECT_EQ(lines.at("pci").line, 1);
  EXPECT_EQ(lines.at("memory").line, 2);
  EXPECT_EQ(lines.at("vcpus").line, 3);
}

}  // namespace
}  // namespace ptdoctor::domu
