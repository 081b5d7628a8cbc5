#pragma once
// Line and word helpers for the small text formats the kernel and Xen plugins read.
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor::hostplug {

// Calls visit(line) for each line without its terminator ("\n", or "\r\n"); a final line without "\n" is kept, a
// trailing empty one is not. For big files (a kernel config, dpkg's status) where a vector of lines would cost.
template <class Visit>
void for_each_line(std::string_view text, Visit visit) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    start = end + 1;
    visit(line);
  }
}
// The same lines, as a vector.
std::vector<std::string_view> split_lines(std::string_view text);
std::string_view trim(std::string_view text);
// Words separated by blanks (space, tab).
std::vector<std::string> split_words(std::string_view text);
bool starts_with(std::string_view text, std::string_view prefix);
// Module and parameter names: the kernel treats '-' and '_' alike (kernel/params.c parameq), so we store '_'.
std::string underscore_name(std::string_view name);
// A line as messages quote it: at most max_chars, unprintable bytes as '?', "..." when cut.
std::string shown_line(std::string_view line, std::size_t max_chars = 60);

}  // namespace ptdoctor::hostplug
