#include "html_escape.hpp"

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

}  // namespace ptdoctor::reports
