#include "html_escape.hpp"

#include <algorithm>

#include "text_cleaning.hpp"

namespace ptdoctor::reports {
namespace {

std::string escaped(std::string_view cleaned) {
  std::string out;
  out.reserve(cleaned.size());
  for (char c : cleaned) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string html_text(std::string_view untrusted) { return escaped(clean_line(untrusted)); }
std::string html_block(std::string_view untrusted) { return escaped(clean_text(untrusted)); }

std::string html_prose(std::string_view untrusted) {
  const std::string cleaned = clean_text(untrusted);
  const std::string_view text(cleaned);
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t open = text.find('`', at);
    const std::size_t close = open == std::string_view::npos ? open : text.find('`', open + 1);
    if (close == std::string_view::npos) break;
    out += escaped(text.substr(at, open - at)) + "<code>" + escaped(text.substr(open + 1, close - open - 1)) + "</code>";
    at = close + 1;
  }
  return out + escaped(text.substr(std::min(at, text.size())));
}

std::string html_reference(std::string_view untrusted) {
  const std::string text = html_text(untrusted);
  const bool web = text.rfind("https://", 0) == 0 || text.rfind("http://", 0) == 0;
  const bool one_word = text.find_first_of(" \t") == std::string::npos;
  return web && one_word ? "<a href=\"" + text + "\">" + text + "</a>" : text;
}

}  // namespace ptdoctor::reports
