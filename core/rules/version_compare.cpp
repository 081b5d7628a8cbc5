#include "rules/version_compare.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace ptdoctor::rules {
namespace {

std::vector<std::string_view> components(std::string_view version) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= version.size(); ++i) {
    if (i == version.size() || version[i] == '.' || version[i] == '-' || version[i] == '+') {
      parts.push_back(version.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int sign(int value) { return (value > 0) - (value < 0); }

// Numbers of any length: drop leading zeros, then the longer is larger, then digit by digit.
int compare_digits(std::string_view left, std::string_view right) {
  left.remove_prefix(std::min(left.find_first_not_of('0'), left.size()));
  right.remove_prefix(std::min(right.find_first_not_of('0'), right.size()));
  if (left.size() != right.size()) return left.size() < right.size() ? -1 : 1;
  return sign(left.compare(right));
}

}  // namespace

int compare_versions(std::string_view left, std::string_view right) {
  auto left_parts = components(left);
  auto right_parts = components(right);
  std::size_t count = std::max(left_parts.size(), right_parts.size());
  for (std::size_t i = 0; i < count; ++i) {
    std::string_view a = i < left_parts.size() ? left_parts[i] : "0";
    std::string_view b = i < right_parts.size() ? right_parts[i] : "0";
    int order = all_digits(a) && all_digits(b) ? compare_digits(a, b) : sign(a.compare(b));
    if (order != 0) return order;
  }
  return 0;
}

}  // namespace ptdoctor::rules
