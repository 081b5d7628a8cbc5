#include "rules/regex_guard.hpp"

#include <vector>

namespace ptdoctor::rules {
namespace {

// Star height > 1 with unbounded quantifiers: the classic shape of catastrophic backtracking.
bool nested_unbounded_quantifier(std::string_view pattern) {
  std::vector<bool> group_has_quantifier{false};
  bool previous_was_quantified_group = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    bool unbounded = c == '*' || c == '+';
    if (c == '{') {
      std::size_t close = pattern.find('}', i);
      if (close != std::string_view::npos) {
        std::string_view range = pattern.substr(i, close - i + 1);
        unbounded = range.size() > 2 && range[range.size() - 2] == ',';  // {n,}
        i = close;
      }
    }
    if (unbounded) {
      if (previous_was_quantified_group) return true;
      group_has_quantifier.back() = true;
      previous_was_quantified_group = false;
      continue;
    }
    bool closed_quantified = false;
    if (c == '\\') {
      ++i;
    } else if (c == '[') {
      std::size_t j = i + 1;
      if (j < pattern.size() && pattern[j] == '^') ++j;
      if (j < pattern.size() && pattern[j] == ']') ++j;
      while (j < pattern.size() && pattern[j] != ']') j += pattern[j] == '\\' ? 2 : 1;
      i = j;
    } else if (c == '(') {
      group_has_quantifier.push_back(false);
    } else if (c == ')' && group_has_quantifier.size() > 1) {
      closed_quantified = group_has_quantifier.back();
      group_has_quantifier.pop_back();
      if (closed_quantified) group_has_quantifier.back() = true;
    }
    // A lazy or possessive marker belongs to the quantifier before it.
    if (c == '?' && i > 0) continue;
    previous_was_quantified_group = closed_quantified;
  }
  return false;
}

}  // namespace

std::optional<std::string> compile_pattern(const std::string& pattern, bool ignore_case, std::regex& out) {
  try {
    auto flags = std::regex::ECMAScript;
    if (ignore_case) flags |= std::regex::icase;
    out = std::regex(pattern, flags);
  } catch (const std::regex_error& error) {
    return "invalid regular expression '" + pattern + "': " + error.what();
  }
  if (nested_unbounded_quantifier(pattern)) {
    return "regular expression '" + pattern + "' repeats a group that itself repeats (like (a+)+), which can "
           "take exponential time; rewrite it without the nested repetition";
  }
  return std::nullopt;
}

std::optional<bool> bounded_search(std::string_view text, const std::regex& pattern) {
  if (text.size() > kMaxMatchLength) return std::nullopt;
  try {
    return std::regex_search(text.begin(), text.end(), pattern);
  } catch (const std::regex_error&) {
    return std::nullopt;
  }
}

}  // namespace ptdoctor::rules
