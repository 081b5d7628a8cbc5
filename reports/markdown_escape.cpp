#include "markdown_escape.hpp"

#include "text_cleaning.hpp"

namespace ptdoctor::reports {

namespace {

// Escapes cleaned text; `line_start`: the text begins a line, where # + - = would start a block.
std::string escaped(std::string_view cleaned, bool line_start) {
  std::string out;
  out.reserve(cleaned.size() + cleaned.size() / 8);
  for (std::size_t i = 0; i < cleaned.size(); ++i) {
    char c = cleaned[i];
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      // `$` starts math on GitHub; `|` ends a table cell even inside a code span; the rest are emphasis, code,
      // links and strikethrough. `!` and `(` only matter after `[`, which is escaped.
      case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '~': case '$':
        out += '\\';
        out += c;
        break;
      // These start a block (heading, list, setext underline) only at the beginning of a line.
      case '#': case '+': case '-': case '=':
        if (i == 0 && line_start) out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string markdown_inline(std::string_view untrusted) { return escaped(clean_line(untrusted), true); }

std::string markdown_text(std::string_view untrusted, bool table_cell) {
  std::string cleaned = clean_line(untrusted);
  std::string out;
  std::size_t at = 0;
  while (at < cleaned.size()) {
    std::size_t open = cleaned.find('`', at);
    std::size_t close = open == std::string::npos ? std::string::npos : cleaned.find('`', open + 1);
    // No span left (or an unpaired backtick): the rest is prose, its backtick escaped.
    if (close == std::string::npos) break;
    std::string_view code = std::string_view(cleaned).substr(open + 1, close - open - 1);
    if (code.find_first_not_of(' ') == std::string_view::npos) {
      out += escaped(std::string_view(cleaned).substr(at, close + 1 - at), at == 0);
      at = close + 1;
      continue;
    }
    out += escaped(std::string_view(cleaned).substr(at, open - at), at == 0);
    // Inside a code span nothing is markup (CommonMark 6.1): only a table cell's | must be \|, which GFM's table
    // parser turns back into | before the span is read.
    out += '`';
    for (char c : code) {
      if (c == '|' && table_cell) out += '\\';
      out += c;
    }
    out += '`';
    at = close + 1;
  }
  if (at < cleaned.size()) out += escaped(std::string_view(cleaned).substr(at), at == 0);
  return out;
}

std::string markdown_code(std::string_view untrusted) {
  std::string cleaned = clean_line(untrusted);
  if (cleaned.empty() || cleaned.find_first_of("`|<>&") != std::string::npos || cleaned.front() == ' ' ||
      cleaned.back() == ' ') {
    return markdown_inline(untrusted);
  }
  return "`" + cleaned + "`";
}

}  // namespace ptdoctor::reports
