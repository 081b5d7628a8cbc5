#pragma once
// Line-oriented text helpers shared by the cpuid capture and /proc/cpuinfo parsers.
#include <cstddef>
#include <string>
#include <string_view>

namespace ptdoctor::cpu {

std::string_view trim(std::string_view text);
// A bad line as shown in a message: at most 60 characters, unprintable bytes as '?'.
std::string excerpt(std::string_view line);

// Calls visit(line_number, line) for each line (1-based, without the '\n') until it returns false.
template <class Visit>
void for_each_line(std::string_view text, Visit visit) {
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (!visit(++line_number, line)) return;
  }
}

}  // namespace ptdoctor::cpu
