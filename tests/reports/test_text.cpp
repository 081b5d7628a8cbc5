#include "test_text.hpp"

namespace ptdoctor::testing {

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = byte < 0x80 ? 1 : (byte & 0xE0) == 0xC0 ? 2 : (byte & 0xF0) == 0xE0 ? 3
                                         : (byte & 0xF8) == 0xF0 ? 4 : 0;
    if (length == 0 || (length == 2 && byte < 0xC2) || i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

std::size_t column_of(std::string_view line, std::size_t offset) {
  std::size_t column = 0;
  for (std::size_t i = 0; i < offset && i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

std::vector<std::string> lines_with(std::string_view text, std::string_view needle) {
  std::vector<std::string> found;
  for (std::string& line : lines_of(text)) {
    if (line.find(needle) != std::string::npos) found.push_back(std::move(line));
  }
  return found;
}

}  // namespace ptdoctor::testing
