#include "pciback_hide.hpp"

#include <algorithm>

#include "bdf.hpp"
#include "text_util.hpp"

namespace ptdoctor::hostplug {
namespace {

void add_unique(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

}  // namespace

HideList parse_hide_list(std::string_view text) {
  HideList list;
  std::size_t pos = 0;
  int index = 0;
  text = trim(text);
  while (pos < text.size()) {
    ++index;
    if (text[pos] != '(') {
      // The kernel stops at the first thing it cannot read; so do we, naming what is left.
      list.errors.push_back("entry " + std::to_string(index) + " \"" + std::string(text.substr(pos, 40)) +
                            "\": expected \"(\" to start (DDDD:BB:SS.F) or (BB:SS.F); the rest is ignored");
      break;
    }
    std::size_t close = text.find(')', pos);
    if (close == std::string_view::npos) {
      list.errors.push_back("entry " + std::to_string(index) + " \"" + std::string(text.substr(pos, 40)) +
                            "\": missing \")\"");
      break;
    }
    std::string_view inner = trim(text.substr(pos + 1, close - pos - 1));
    std::string shown(text.substr(pos, close - pos + 1));
    if (auto bdf = normalize_bdf(inner)) {
      add_unique(list.bdfs, *bdf);
    } else if (auto slot = normalize_slot_wildcard(inner)) {
      add_unique(list.wildcards, *slot);
    } else {
      list.errors.push_back("entry " + std::to_string(index) + " \"" + shown +
                            "\": not a PCI address; write (DDDD:BB:SS.F), (BB:SS.F) or (BB:SS.*) in hex");
    }
    pos = close + 1;
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  }
  return list;
}

}  // namespace ptdoctor::hostplug
