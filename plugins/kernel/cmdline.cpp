#include "cmdline.hpp"

#include <cctype>

#include "text_util.hpp"

namespace ptdoctor::hostplug {
namespace {

// One word the way the kernel's next_arg() (lib/cmdline.c) splits it: blanks end a word only outside quotes;
// the first '=' splits name from value; quotes around the value or the whole word are dropped.
struct Word {
  std::string name;
  std::string value;
  bool has_value = false;
};

Word next_word(std::string_view text, std::size_t& pos) {
  Word word;
  bool in_quote = false;
  std::string current;
  std::string* target = &word.name;
  for (; pos < text.size(); ++pos) {
    char c = text[pos];
    if (is_space(c) && !in_quote) break;
    if (c == '"') {
      in_quote = !in_quote;
      continue;
    }
    if (c == '=' && !word.has_value) {
      word.has_value = true;
      target = &word.value;
      continue;
    }
    *target += c;
  }
  return word;
}

}  // namespace

Cmdline parse_cmdline(std::string_view text, const CmdlineOptions& options) {
  Cmdline cmdline;
  std::size_t pos = 0;
  bool after_dashes = false;
  while (true) {
    while (pos < text.size() && is_space(text[pos])) ++pos;
    if (pos >= text.size()) break;
    std::size_t start = pos;
    Word word = next_word(text, pos);
    if (after_dashes) {
      cmdline.init_args.emplace_back(text.substr(start, pos - start));
      continue;
    }
    if (options.stop_at_dashes && !word.has_value && word.name == "--" && text.substr(start, 2) == "--") {
      after_dashes = true;
      continue;
    }
    if (word.name.empty()) continue;  // a stray "=value" or "\"\"": the kernel ignores it too
    std::string name = options.underscore_names ? underscore_name(word.name) : word.name;
    cmdline.params[name].push_back(word.value);
  }
  return cmdline;
}

}  // namespace ptdoctor::hostplug
