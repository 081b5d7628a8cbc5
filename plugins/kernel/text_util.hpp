#pragma once
// Line and word helpers for the small text formats the kernel and Xen plugins read.
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor::hostplug {

// isspace and isalnum-or-'_' as the "C" locale has them, which ptdoctor never changes (no setlocale), without a
// libc call per character: the kernel config's ~10,000 lines and dpkg's ~24,000 are classed byte by byte (isalnum
// alone was 1.1 M instructions of a live check).
inline bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
inline bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

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
