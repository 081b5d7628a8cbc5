#include "xl_info.hpp"

#include <cctype>

#include "text_util.hpp"

namespace ptdoctor::hostplug {
namespace {

bool is_key(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace

XlInfo parse_xl_info(std::string_view text) {
  XlInfo info;
  std::size_t number = 0;
  for (std::string_view line : split_lines(text)) {
    ++number;
    if (trim(line).empty()) continue;
    std::size_t colon = line.find(':');
    std::string_view key = colon == std::string_view::npos ? std::string_view{} : trim(line.substr(0, colon));
    if (!is_key(key)) {
      info.problems.push_back({number, shown_line(trim(line))});
      continue;
    }
    info.fields[std::string(key)] = std::string(trim(line.substr(colon + 1)));
  }
  return info;
}

}  // namespace ptdoctor::hostplug
