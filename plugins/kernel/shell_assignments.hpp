#pragma once
// Reads NAME=value assignments from shell files such as /etc/default/grub without running anything: single and
// double quotes, backslash escapes, line continuations, and $NAME / ${NAME} expansion from earlier assignments.
// Command substitution and any other shell code are not executed; they are reported and skipped.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor::hostplug {

struct ShellProblem {
  std::size_t line = 0;
  std::string name;  // the variable being assigned, "" for lines that are not assignments
  std::string message;
};

// Applies one file's assignments to `variables` (later files see earlier values, as grub-mkconfig sources
// /etc/default/grub and then /etc/default/grub.d/*.cfg into one shell). Returns what could not be read.
std::vector<ShellProblem> read_shell_assignments(std::string_view text, std::map<std::string, std::string>& variables);

}  // namespace ptdoctor::hostplug
