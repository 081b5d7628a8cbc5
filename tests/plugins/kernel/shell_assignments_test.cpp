#include "shell_assignments.hpp"

#include <cstdio>
#include <unistd.h>

#include <gtest/gtest.h>

#include "temp_tree.hpp"

namespace ptdoctor::hostplug {
namespace {

using Vars = std::map<std::string, std::string>;

Vars read(const std::string& text, std::vector<ShellProblem>* problems = nullptr) {
  Vars vars;
  auto found = read_shell_assignments(text, vars);
  if (problems) *problems = found;
  return vars;
}

// What bash itself makes of the file: the oracle for quoting (STYLE: let the real tool judge).
std::optional<std::string> bash_value(const std::string& text, const std::string& name) {
  if (::access("/bin/bash", X_OK) != 0) return std::nullopt;
  testing::TempTree tree;
  std::string file = tree.write("/grub", text);
  std::string command = "/bin/bash --noprofile --norc -c '. \"$0\" >/dev/null 2>&1; printf %s \"$" + name + "\"' " + file;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return std::nullopt;
  std::string out;
  char buffer[256];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

struct Case {
  const char* text;
  const char* name;
};

const Case kCases[] = {
    {"GRUB_CMDLINE_LINUX=\"quiet splash\"\n", "GRUB_CMDLINE_LINUX"},
    {"GRUB_CMDLINE_LINUX='xen-pciback.hide=(08:00.0)(08:00.1)'\n", "GRUB_CMDLINE_LINUX"},
    {"GRUB_CMDLINE_LINUX=plain\n", "GRUB_CMDLINE_LINUX"},
    {"GRUB_CMDLINE_LINUX=\"a \\\"quoted\\\" \\$HOME \\\\ b\"\n", "GRUB_CMDLINE_LINUX"},
    {"GRUB_CMDLINE_LINUX=con'cat'\"en\"ated\n", "GRUB_CMDLINE_LINUX"},
    {"GRUB_CMDLINE_LINUX=\"first\"\nGRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX second\"\n", "GRUB_CMDLINE_LINUX"},
    {"A=x\nGRUB_CMDLINE_XEN=\"${A}y $A\"\n", "GRUB_CMDLINE_XEN"},
    {"GRUB_CMDLINE_XEN=\"multi\nline\"\n", "GRUB_CMDLINE_XEN"},
    {"GRUB_CMDLINE_XEN=one\\ word # a comment\n", "GRUB_CMDLINE_XEN"},
    {"export GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=4096M,max:4096M\"\n", "GRUB_CMDLINE_XEN_DEFAULT"},
    {"GRUB_CMDLINE_XEN=\"a\" ; GRUB_TIMEOUT=5\n", "GRUB_CMDLINE_XEN"},
    {"GRUB_CMDLINE_XEN=\"cost \\$5 and $ alone\"\n", "GRUB_CMDLINE_XEN"},
    {"GRUB_CMDLINE_XEN=\"$UNSET_THING x\"\n", "GRUB_CMDLINE_XEN"},
};

TEST(ShellAssignments, AgreesWithBash) {
  for (const Case& c : kCases) {
    auto expected = bash_value(c.text, c.name);
    if (!expected) GTEST_SKIP() << "no /bin/bash to compare with";
    Vars vars = read(c.text);
    EXPECT_EQ(vars[c.name], *expected) << "file:\n" << c.text;
  }
}

TEST(ShellAssignments, KnownValuesWithoutBash) {
  EXPECT_EQ(read("GRUB_CMDLINE_LINUX=\"quiet splash\"\n")["GRUB_CMDLINE_LINUX"], "quiet splash");
  EXPECT_EQ(read("X=a\nY=\"$X b\"\n")["Y"], "a b");
}

TEST(ShellAssignments, CommandSubstitutionIsNotRunAndLeavesTheVariableUnset) {
  std::vector<ShellProblem> problems;
  Vars vars = read("GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`\n"
                   "GRUB_CMDLINE_LINUX=\"$(touch /tmp/ptdoctor-must-not-exist)\"\nGRUB_TIMEOUT=5\n",
                   &problems);
  EXPECT_EQ(vars.count("GRUB_DISTRIBUTOR"), 0u);
  EXPECT_EQ(vars.count("GRUB_CMDLINE_LINUX"), 0u);
  EXPECT_EQ(vars["GRUB_TIMEOUT"], "5");
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].name, "GRUB_DISTRIBUTOR");
  EXPECT_EQ(problems[1].line, 2u);
  EXPECT_EQ(problems[1].name, "GRUB_CMDLINE_LINUX");
  EXPECT_NE(::access("/tmp/ptdoctor-must-not-exist", F_OK), 0);
}

TEST(ShellAssignments, ShellCodeLinesAreReportedAndSkipped) {
  std::vector<ShellProblem> problems;
  Vars vars = read("if [ -z \"$X\" ]; then\n  GRUB_CMDLINE_XEN=\"in-if\"\nfi\necho hi\n", &problems);
  EXPECT_EQ(vars["GRUB_CMDLINE_XEN"], "in-if");  // conditionals are not evaluated
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].line, 1u);
  EXPECT_EQ(problems[2].line, 4u);
  EXPECT_TRUE(problems[0].name.empty());
}

TEST(ShellAssignments, UnterminatedQuoteIsAProblemNotAValue) {
  std::vector<ShellProblem> problems;
  Vars vars = read("GRUB_CMDLINE_LINUX=\"iommu=1\nGRUB_TIMEOUT=5\n", &problems);
  EXPECT_EQ(vars.count("GRUB_CMDLINE_LINUX"), 0u);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, 1u);
  EXPECT_NE(problems[0].message.find("unterminated"), std::string::npos);
}

}  // namespace
}  // namespace ptdoctor::hostplug
