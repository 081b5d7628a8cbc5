#include "fix/shell_variable.hpp"

#include <gtest/gtest.h>

#include "fix_test_util.hpp"
#include "guide_machine.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::fix {
namespace {

WordEditor add_word(std::string word) {
  return [word](ShellWords& words) {
    if (!words.contains(word)) words.add(word);
  };
}

// What bash makes of the variable after sourcing the file: the shell grub-mkconfig uses is the judge.
std::string sourced(const std::string& text, const std::string& key) {
  testing::TempTree tree;
  std::string file = tree.write("/grub", text);
  int status = -1;
  std::string out = testing::run_program({"bash", "-c", "source \"$1\" >/dev/null 2>&1; printf %s \"${!2}\"", "bash", file, key}, &status);
  EXPECT_EQ(status, 0);
  return out;
}

TEST(ShellVariable, AppendsToDoubleQuotedValueKeepingOtherBytes) {
  std::string text = "A=1\nGRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=1G  loglvl=all\"   # mine\nB=2\n";
  auto edited = edit_shell_variable(text, "GRUB_CMDLINE_XEN_DEFAULT", add_word("iommu=1"), "grub");
  ASSERT_TRUE(edited) << edited.error().message;
  EXPECT_EQ(*edited, "A=1\nGRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=1G  loglvl=all iommu=1\"   # mine\nB=2\n");
  EXPECT_EQ(sourced(*edited, "GRUB_CMDLINE_XEN_DEFAULT"), "dom0_mem=1G  loglvl=all iommu=1");
}

TEST(ShellVariable, KeepsSingleQuotesAndQuotesABareValue) {
  auto single = edit_shell_variable("K='a b'\n", "K", add_word("c"), "f");
  ASSERT_TRUE(single);
  EXPECT_EQ(*single, "K='a b c'\n");
  auto bare = edit_shell_variable("K=quiet\n", "K", add_word("xen-pciback.hide=(0000:08:00.0)"), "f");
  ASSERT_TRUE(bare);
  EXPECT_EQ(*bare, "K=\"quiet xen-pciback.hide=(0000:08:00.0)\"\n");
  EXPECT_EQ(sourced(*bare, "K"), "quiet xen-pciback.hide=(0000:08:00.0)");
}

TEST(ShellVariable, EditsTheLastAssignmentBecauseThatIsWhatShKeeps) {
  auto edited = edit_shell_variable("K=\"a\"\nK=\"b\"\n", "K", add_word("c"), "f");
  ASSERT_TRUE(edited);
  EXPECT_EQ(*edited, "K=\"a\"\nK=\"b c\"\n");
}

TEST(ShellVariable, CreatesAMissingLineFromTheInitialValue) {
  auto edited = edit_shell_variable(testing::kDebianGrub, "GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT",
                                    add_word("xen-pciback.hide=(0000:08:00.0)"), "grub",
                                    "$GRUB_CMDLINE_LINUX_DEFAULT", "# added");
  ASSERT_TRUE(edited);
  EXPECT_EQ(edited->substr(0, std::string(testing::kDebianGrub).size()), testing::kDebianGrub);
  EXPECT_EQ(sourced(*edited, "GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT"), "quiet xen-pciback.hide=(0000:08:00.0)");
  EXPECT_EQ(sourced(*edited, "GRUB_CMDLINE_LINUX_DEFAULT"), "quiet");
}

TEST(ShellVariable, RemovesWordsWithTheirSeparator) {
  auto edited = edit_shell_variable("K=\"iommu=0 a iommu=off\"\n", "K", [](ShellWords& w) {
    w.remove_if([](std::string_view word) { return word.substr(0, 6) == "iommu="; });
  }, "f");
  ASSERT_TRUE(edited);
  EXPECT_EQ(*edited, "K=\"a\"\n");
}

TEST(ShellVariable, RefusesValuesItCannotRewriteSafely) {
  for (const char* text : {"K=\"$(cat /x)\"\n", "K=`x`\n", "K=\"a\"'b'\n", "K=\"unterminated\n", "K=\"a\\\n"}) {
    auto edited = edit_shell_variable(text, "K", add_word("c"), "/etc/default/grub");
    ASSERT_FALSE(edited) << text;
    EXPECT_NE(edited.error().message.find("/etc/default/grub:1"), std::string::npos) << edited.error().message;
  }
}

// '#' starts a comment only at the start of a word (found by the grub_default fuzz target: a bare value glued to
// '#' was edited as if the rest of the line were a comment, and the word added was lost to the next reading).
TEST(ShellVariable, AHashInsideAWordIsNoComment) {
  auto edited = edit_shell_variable("K=a#b\n", "K", add_word("c"), "f");
  ASSERT_TRUE(edited) << edited.error().message;
  EXPECT_EQ(*edited, "K=\"a#b c\"\n");
  EXPECT_EQ(sourced(*edited, "K"), "a#b c");
  EXPECT_EQ(shell_variable_words("K=a#b # note\n", "K"), (std::vector<std::string>{"a#b"}));
  // Glued to a closing quote, '#' continues the word; sh's operators in a bare value end it or break the line.
  for (const char* text : {"K=\"a\"#b\n", "K=a)#b\n", "K=a|b\n", "K=a&\n", "K=(a)\n"}) {
    auto refused = edit_shell_variable(text, "K", add_word("c"), "/etc/default/grub");
    ASSERT_FALSE(refused) << text;
    EXPECT_NE(refused.error().message.find("/etc/default/grub:1"), std::string::npos) << refused.error().message;
  }
}

// sh reads the file as a whole: a quote left open on another line swallows every line after it, so a variable
// appended there would only lengthen the broken string (grub-mkconfig sources the file and fails).
TEST(ShellVariable, RefusesAFileWithAQuoteThatNeverCloses) {
  auto edited = edit_shell_variable("GRUB_CMDLINE_LINUX=\"iommu=1\nGRUB_TIMEOUT=5\n", "GRUB_CMDLINE_XEN_DEFAULT",
                                    add_word("dom0_mem=2048M"), "/etc/default/grub");
  ASSERT_FALSE(edited);
  EXPECT_NE(edited.error().message.find("/etc/default/grub:1: a quote opened on this line is never closed"),
            std::string::npos)
      << edited.error().message;
  // Closed on a later line, the same opening quote is a multi-line value sh reads: editing another variable is fine.
  EXPECT_TRUE(edit_shell_variable("GRUB_CMDLINE_LINUX=\"iommu=1\n\"\n", "GRUB_CMDLINE_XEN_DEFAULT",
                                  add_word("dom0_mem=2048M"), "/etc/default/grub"));
}

// A line inside an earlier line's multi-line value is part of that value, not an assignment of its own.
TEST(ShellVariable, ALineInsideAnotherValueIsNoAssignment) {
  const std::string text = "K=\"real\"\nA='first\nK=\"inside A\"\n'\n";
  auto edited = edit_shell_variable(text, "K", add_word("c"), "f");
  ASSERT_TRUE(edited) << edited.error().message;
  EXPECT_EQ(*edited, "K=\"real c\"\nA='first\nK=\"inside A\"\n'\n");
  EXPECT_EQ(shell_variable_words(text, "K"), std::vector<std::string>{"real"});
  // A backslash-newline continues the line too; a '#' word starts a comment whose quote does not count.
  auto continued = edit_shell_variable("A=x \\\nK=\"y\"\n# it's\nK=\"z\"\n", "K", add_word("c"), "f");
  ASSERT_TRUE(continued) << continued.error().message;
  EXPECT_EQ(*continued, "A=x \\\nK=\"y\"\n# it's\nK=\"z c\"\n");
}

// A blank after a backslash belongs to the word before it (found by the grub_default fuzz target: the word added
// after "max:\\<TAB>" was glued to it by trimming the escaped tab, and a removal could eat it the same way).
TEST(ShellVariable, AnEscapedBlankStaysInItsWord) {
  auto added = edit_shell_variable("K=\"a b\\\t\"\n", "K", add_word("iommu=1"), "f");
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(*added, "K=\"a b\\\t iommu=1\"\n");
  EXPECT_EQ(shell_variable_words(*added, "K"), (std::vector<std::string>{"a", "b\\\t", "iommu=1"}));
  auto again = edit_shell_variable(*added, "K", add_word("iommu=1"), "f");
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *added);

  auto removed = edit_shell_variable("K=\"a\\  iommu=0\"\n", "K", [](ShellWords& w) {
    w.remove_if([](std::string_view word) { return word == "iommu=0"; });
  }, "f");
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(*removed, "K=\"a\\ \"\n");
  EXPECT_EQ(sourced(*removed, "K"), "a\\ ");
}

TEST(ShellVariable, UnchangedWhenTheWordIsThere) {
  std::string text = "K=\"a c\"\n";
  auto edited = edit_shell_variable(text, "K", add_word("c"), "f");
  ASSERT_TRUE(edited);
  EXPECT_EQ(*edited, text);
}

TEST(ShellVariable, SafeWordsExcludeQuotesAndExpansion) {
  EXPECT_TRUE(is_safe_shell_word("xen-pciback.hide=(0000:08:00.0)(0000:08:00.1)"));
  EXPECT_TRUE(is_safe_shell_word("dom0_mem=2048M,max:2048M"));
  for (const char* bad : {"a b", "a\"", "$x", "a;b", "`x`", "a\nb", ""}) EXPECT_FALSE(is_safe_shell_word(bad)) << bad;
}

}  // namespace
}  // namespace ptdoctor::fix
