#include "markdown_escape.hpp"

#include "text_cleaning.hpp"

namespace ptdoctor::reports {

std::string markdown_inline(std::string_view untrusted) {
  std::string cleaned = clean_line(untrusted);
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
        if (i == 0) out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
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
