#include "regex_guard.hpp"

#include <vector>

namespace ptdoctor {
namespace {

// How many characters the escape starting with the backslash at `at` takes: two, but three for "\cX", whose X
// libstdc++'s scanner takes as the control letter whatever it is, a backslash included
// (bits/regex_scanner.tcc, _M_eat_escape_ecma). Missed, "\c\\1" hid the back-reference "\1" after it from
// these checks; the quirk_cache fuzz target found "\c\\4444..." overflowing the compiler (UBSan).
std::size_t escape_length(std::string_view pattern, std::size_t at) {
  return at + 2 < pattern.size() && pattern[at + 1] == 'c' ? 3 : 2;
}

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
      i += escape_length(pattern, i) - 1;
    } else if (c == '[') {
      std::size_t j = i + 1;
      if (j < pattern.size() && pattern[j] == '^') ++j;
      if (j < pattern.size() && pattern[j] == ']') ++j;
      while (j < pattern.size() && pattern[j] != ']') j += pattern[j] == '\\' ? escape_length(pattern, j) : 1;
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

// libstdc++ (12) reads the number of a brace count ("{n}", "{n,m}") and of a back-reference ("\1") into a long
// without an overflow check (bits/regex_compiler.tcc, _Compiler::_M_cur_int_value): "x{99999999999999999999}" is
// undefined behaviour inside std::regex's constructor, before it could throw regex_error. Found by the quirk_cache
// fuzz target (UBSan: "signed integer overflow ... regex_compiler.tcc:589"). Nine digits always fit a long.
constexpr std::size_t kMaxNumberDigits = 9;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Length of the run of decimal digits at `at`.
std::size_t digits_at(std::string_view pattern, std::size_t at) {
  std::size_t end = at;
  while (end < pattern.size() && is_digit(pattern[end])) ++end;
  return end - at;
}

// Whether a brace count or back-reference number is longer than kMaxNumberDigits. A brace inside a bracket
// expression is a literal to std::regex, but refusing such a pattern only refuses something no rule needs.
bool overlong_number(std::string_view pattern) {
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      if (digits_at(pattern, i + 1) > kMaxNumberDigits) return true;
      i += escape_length(pattern, i) - 1;  // the escaped characters are not a brace
    } else if (pattern[i] == '{') {
      const std::size_t low = digits_at(pattern, i + 1);
      if (low > kMaxNumberDigits) return true;
      const std::size_t comma = i + 1 + low;
      if (comma < pattern.size() && pattern[comma] == ',' && digits_at(pattern, comma + 1) > kMaxNumberDigits) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

std::optional<std::string> compile_pattern(const std::string& pattern, bool ignore_case, std::regex& out) {
  if (overlong_number(pattern)) {
    return "invalid regular expression '" + pattern + "': a repetition count or back-reference of more than " +
           std::to_string(kMaxNumberDigits) + " digits";
  }
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

}  // namespace ptdoctor
