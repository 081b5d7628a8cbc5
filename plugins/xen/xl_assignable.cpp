#include "xl_assignable.hpp"

#include <algorithm>

#include "bdf.hpp"
#include "text_util.hpp"

namespace ptdoctor::hostplug {

AssignableList parse_assignable_list(std::string_view text) {
  AssignableList list;
  std::size_t number = 0;
  for (std::string_view line : split_lines(text)) {
    ++number;
    std::vector<std::string> words = split_words(line);
    if (words.empty()) continue;
    if (auto bdf = normalize_bdf(words.front())) {
      if (std::find(list.bdfs.begin(), list.bdfs.end(), *bdf) == list.bdfs.end()) list.bdfs.push_back(*bdf);
    } else {
      list.problems.push_back({number, words.front().substr(0, 40)});
    }
  }
  return list;
}

}  // namespace ptdoctor::hostplug
