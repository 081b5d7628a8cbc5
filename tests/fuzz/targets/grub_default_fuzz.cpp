// libFuzzer target: /etc/default/grub as the kernel plugin reads it (read_shell_assignments) and as the fix
// planner edits it (shell_variable_words, edit_shell_variable). An edit that succeeds must leave the word in the
// variable, and a second identical edit must change nothing (fixes are idempotent).
#include <map>
#include <string>

#include "fix/shell_variable.hpp"
#include "fuzz_check.hpp"
#include "shell_assignments.hpp"

using ptdoctor::fuzz::check;

namespace {

constexpr std::string_view kKey = "GRUB_CMDLINE_XEN_DEFAULT";
constexpr std::string_view kWord = "iommu=1";

void add_word(ptdoctor::fix::ShellWords& words) {
  if (!words.contains(kWord)) words.add(kWord);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = ptdoctor::fuzz::as_text(data, size);
  std::map<std::string, std::string> variables;
  const auto problems = ptdoctor::hostplug::read_shell_assignments(text, variables);
  const std::size_t lines = ptdoctor::fuzz::line_count(text);
  for (const auto& problem : problems) check(problem.line <= lines, "problem line in input");

  ptdoctor::fix::shell_variable_words(text, kKey);
  auto edited = ptdoctor::fix::edit_shell_variable(text, kKey, add_word, "/etc/default/grub", "", "# ptdoctor");
  if (!edited) return 0;
  bool found = false;
  for (const std::string& word : ptdoctor::fix::shell_variable_words(*edited, kKey)) found = found || word == kWord;
  check(found, "the added word is in the edited variable");
  auto again = ptdoctor::fix::edit_shell_variable(*edited, kKey, add_word, "/etc/default/grub", "", "# ptdoctor");
  check(again && *again == *edited, "a second identical edit changes nothing");
  return 0;
}
