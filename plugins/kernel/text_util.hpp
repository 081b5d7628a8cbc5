#pragma once
// Line and word helpers for the small text formats the kernel and Xen plugins read.
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor::hostplug {

// Lines without their terminators; a final line without "\n" is kept, a trailing empty one is not.
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
