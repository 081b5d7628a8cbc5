#include "kconfig.hpp"

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

// Sets `name` to `value`, replacing an earlier line's value (the last line for an option wins, as with the map's
// operator[] before): one search among the keys, and the key copied only when it is new.
void put(Json::object_t& options, std::string_view name, std::string value) {
  auto at = options.lower_bound(name);
  if (at != options.end() && at->first == name) {
    at->second = std::move(value);
  } else {
    options.emplace_hint(at, std::string(name), std::move(value));
  }
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
        if (is_option_name(name)) put(config.options, name, "n");
      }
      return;  // any other comment
    }
    std::size_t equals = line.find('=');
    std::string value;
    if (equals != std::string_view::npos && is_option_name(line.substr(0, equals)) &&
        parse_value(line.substr(equals + 1), value)) {
      put(config.options, line.substr(0, equals), std::move(value));
      return;
    }
    config.problems.push_back({number, shown_line(line)});
  });
  return config;
}

}  // namespace ptdoctor::hostplug
