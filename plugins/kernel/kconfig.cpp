#include "kconfig.hpp"

#include <algorithm>
#include <cstdint>

#include "text_util.hpp"

namespace ptdoctor::hostplug {
namespace {

bool is_option_name(std::string_view name) {
  if (!starts_with(name, "CONFIG_") || name.size() == 7) return false;
  for (char c : name) {
    if (!is_name_char(c)) return false;
  }
  return true;
}

// An option as read, in file order: its name still in the text, its value parsed.
struct Option {
  std::string_view name;
  std::string value;
};

// Where an option goes in the sorted object: the first 16 bytes of its name after "CONFIG_" as two big-endian
// numbers, zero past the name's end, then the rest of the name, then its place in the file. Names are [A-Za-z0-9_]
// (no NUL), so this orders exactly as (name, place) does, a shorter name before a longer one it begins; most
// comparisons end at the first number instead of a memcmp through the shared "CONFIG_" (sorting (name, place)
// pairs was 4.1 M of the 5.7 M instructions of this VM's ~10,000-line config, callgrind, docs/performance.md).
struct SortKey {
  std::uint64_t high, low;
  std::string_view rest;
  std::size_t place;  // in options, which are in file order
  bool operator<(const SortKey& other) const {
    if (high != other.high) return high < other.high;
    if (low != other.low) return low < other.low;
    if (rest != other.rest) return rest < other.rest;
    return place < other.place;
  }
};

std::uint64_t big_endian(std::string_view name, std::size_t from) {
  std::uint64_t value = 0;
  for (std::size_t i = from; i < from + 8; ++i) {
    value = value << 8 | (i < name.size() ? static_cast<unsigned char>(name[i]) : 0u);
  }
  return value;
}

SortKey sort_key(std::string_view name, std::size_t place) {
  name.remove_prefix(7);  // "CONFIG_": is_option_name
  return {big_endian(name, 0), big_endian(name, 8), name.size() > 16 ? name.substr(16) : std::string_view(), place};
}

// The options as the fact's object: sorted by name once (inserting ~10,000 names in file order into the object's
// sorted vector would move half of it each time, json_object_map.hpp), a later line for the same option winning.
Json::object_t sorted_options(std::vector<Option>& options) {
  std::vector<SortKey> order;
  order.reserve(options.size());
  for (std::size_t i = 0; i < options.size(); ++i) order.push_back(sort_key(options[i].name, i));
  std::sort(order.begin(), order.end());
  Json::object_t::Container members;
  members.reserve(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    Option& option = options[order[k].place];
    // A later line for the same name follows this one.
    if (k + 1 < order.size() && options[order[k + 1].place].name == option.name) continue;
    members.emplace_back(std::string(option.name), std::move(option.value));
  }
  return Json::object_t::from_members(std::move(members));
}

// A value as Kconfig writes it: y, m, a number, or a double-quoted string with \" and \\ escapes.
bool parse_value(std::string_view raw, std::string& value) {
  if (raw.empty()) return false;
  if (raw.front() != '"') {
    for (char c : raw) {
      if (is_space(c) || c == '"') return false;
    }
    value = std::string(raw);
    return true;
  }
  value.clear();
  for (std::size_t i = 1; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\' && i + 1 < raw.size()) {
      value += raw[++i];
    } else if (c == '"') {
      return i + 1 == raw.size();
    } else {
      value += c;
    }
  }
  return false;  // unterminated string
}

}  // namespace

Kconfig parse_kconfig(std::string_view text) {
  Kconfig config;
  std::vector<Option> options;
  std::size_t number = 0;
  // The lines walked in place: a distribution config has some 10,000.
  for_each_line(text, [&](std::string_view raw_line) {
    ++number;
    std::string_view line = trim(raw_line);
    if (line.empty()) return;
    if (line.front() == '#') {
      constexpr std::string_view kNotSet = " is not set";
      std::string_view rest = trim(line.substr(1));
      if (rest.size() > kNotSet.size() && rest.substr(rest.size() - kNotSet.size()) == kNotSet) {
        std::string_view name = rest.substr(0, rest.size() - kNotSet.size());
        if (is_option_name(name)) options.push_back({name, "n"});
      }
      return;  // any other comment
    }
    std::size_t equals = line.find('=');
    std::string value;
    if (equals != std::string_view::npos && is_option_name(line.substr(0, equals)) &&
        parse_value(line.substr(equals + 1), value)) {
      options.push_back({line.substr(0, equals), std::move(value)});
      return;
    }
    config.problems.push_back({number, shown_line(line)});
  });
  config.options = sorted_options(options);
  return config;
}

}  // namespace ptdoctor::hostplug
