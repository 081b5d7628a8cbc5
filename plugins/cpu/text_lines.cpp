#include "text_lines.hpp"

#include <cctype>

namespace ptdoctor::cpu {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

std::string excerpt(std::string_view line) {
  std::string out;
  for (char c : line.substr(0, 60)) out += std::isprint(static_cast<unsigned char>(c)) ? c : '?';
  if (line.size() > 60) out += "...";
  return out;
}

}  // namespace ptdoctor::cpu
