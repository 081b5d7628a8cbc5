#include "text_cleaning.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace ptdoctor::reports {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

struct Decoded {
  std::uint32_t code_point;
  std::size_t length;
};

// Strict UTF-8 decoding (RFC 3629): rejects overlong forms, surrogates and code points above U+10FFFF.
std::optional<Decoded> decode(std::string_view text, std::size_t at) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(at);
  if (lead < 0x80) return Decoded{lead, 1};
  std::size_t length = 0;
  std::uint32_t code_point = 0, minimum = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, code_point = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code_point = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code_point = lead & 0x07, minimum = 0x10000;
  } else {
    return std::nullopt;
  }
  if (at + length > text.size()) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return std::nullopt;
    code_point = (code_point << 6) | (byte(at + i) & 0x3F);
  }
  if (code_point < minimum || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return std::nullopt;
  }
  return Decoded{code_point, length};
}

bool is_unsafe(std::uint32_t code_point) {
  if (code_point == '\n') return false;
  if (code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F)) return true;
  // Bidi embeddings, overrides and isolates can make a terminal or a web page show text in another order.
  return (code_point >= 0x202A && code_point <= 0x202E) || (code_point >= 0x2066 && code_point <= 0x2069);
}

}  // namespace

std::string clean_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    auto decoded = decode(text, at);
    if (!decoded) {
      out += kReplacement;
      ++at;  // resynchronise on the next byte
      continue;
    }
    if (decoded->code_point == '\t') {
      out += ' ';
    } else if (is_unsafe(decoded->code_point)) {
      out += kReplacement;
    } else {
      out.append(text.substr(at, decoded->length));
    }
    at += decoded->length;
  }
  return out;
}

std::string clean_line(std::string_view text) {
  std::string cleaned = clean_text(text);
  std::string out;
  out.reserve(cleaned.size());
  bool pending_space = false;
  for (char c : cleaned) {
    if (c == '\n' || c == ' ') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

std::size_t display_width(std::string_view cleaned) {
  std::size_t width = 0;
  for (char c : cleaned) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::vector<std::string> wrap_words(std::string_view cleaned, std::size_t width) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (true) {
    std::size_t end = cleaned.find('\n', start);
    std::string_view paragraph = cleaned.substr(start, end == std::string_view::npos ? end : end - start);
    std::string line;
    std::size_t line_width = 0, at = 0;
    bool paragraph_has_line = false;
    while (at < paragraph.size()) {
      if (paragraph[at] == ' ') {
        ++at;
        continue;
      }
      std::size_t word_end = paragraph.find(' ', at);
      if (word_end == std::string_view::npos) word_end = paragraph.size();
      // A command in backticks is one unit: a line break inside `apt install xen-system-amd64` would make the
      // pasted command wrong. A span longer than the width gets a line of its own and overflows it, like a URL.
      if (std::count(paragraph.begin() + at, paragraph.begin() + word_end, '`') % 2 == 1) {
        if (std::size_t close = paragraph.find('`', word_end); close != std::string_view::npos) {
          std::size_t span_end = paragraph.find(' ', close);
          word_end = span_end == std::string_view::npos ? paragraph.size() : span_end;
        }
      }
      std::string_view word = paragraph.substr(at, word_end - at);
      std::size_t word_width = display_width(word);
      if (!line.empty() && line_width + 1 + word_width > width) {
        lines.push_back(std::move(line));
        paragraph_has_line = true;
        line.clear();
        line_width = 0;
      }
      if (!line.empty()) {
        line += ' ';
        ++line_width;
      }
      line.append(word);
      line_width += word_width;
      at = word_end;
    }
    if (!line.empty() || !paragraph_has_line) lines.push_back(std::move(line));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return lines;
}

std::string wrap_paragraph(std::string_view untrusted, std::size_t width, std::string_view first,
                           std::string_view hanging) {
  constexpr std::size_t kMinimumRoom = 30;
  std::size_t indent = std::max(display_width(first), display_width(hanging));
  std::size_t room = width == 0 ? std::string::npos : std::max(width > indent ? width - indent : 0, kMinimumRoom);
  std::string out;
  bool first_line = true;
  for (const std::string& line : wrap_words(clean_text(untrusted), room)) {
    out += std::string(first_line ? first : hanging) + line + "\n";
    first_line = false;
  }
  return out;
}

}  // namespace ptdoctor::reports
