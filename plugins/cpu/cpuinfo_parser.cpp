#include "cpuinfo_parser.hpp"

#include "text_lines.hpp"

#include <cctype>
#include <charconv>

namespace ptdoctor::cpu {
namespace {

bool printable(std::string_view text) {
  for (char c : text) {
    if (!std::isprint(static_cast<unsigned char>(c)) && c != '\t') return false;
  }
  return true;
}

std::optional<int> parse_int(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

CpuinfoFacts parse_cpuinfo(std::string_view text, std::string_view origin) {
  CpuinfoFacts facts;
  auto problem = [&](std::size_t line_number, const std::string& what) {
    if (facts.problems.size() < 10) {
      facts.problems.push_back(std::string(origin) + ": line " + std::to_string(line_number) + ": " + what);
    }
  };
  auto set_int = [&](std::optional<int>& field, std::string_view value, std::string_view key, std::size_t line) {
    field = parse_int(value);
    if (!field) problem(line, "'" + std::string(key) + "' is not a number: '" + excerpt(value) + "'");
  };
  bool in_block = false;
  for_each_line(text, [&](std::size_t line_number, std::string_view line) {
    if (trim(line).empty()) return !in_block;  // a blank line after the first processor's block ends it
    in_block = true;
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || !printable(line)) {
      problem(line_number, "expected 'name : value', found '" + excerpt(line) + "'");
      return true;
    }
    std::string_view key = trim(line.substr(0, colon));
    std::string_view value = trim(line.substr(colon + 1));
    if (key == "vendor_id") {
      facts.vendor_id = std::string(value);
    } else if (key == "model name") {
      facts.model_name = std::string(value);
    } else if (key == "cpu family") {
      set_int(facts.family, value, key, line_number);
    } else if (key == "model") {
      set_int(facts.model, value, key, line_number);
    } else if (key == "stepping") {
      set_int(facts.stepping, value, key, line_number);
    } else if (key == "flags") {
      std::set<std::string> flags;
      std::size_t i = 0;
      while (i < value.size()) {
        while (i < value.size() && std::isspace(static_cast<unsigned char>(value[i]))) ++i;
        std::size_t word = i;
        while (i < value.size() && !std::isspace(static_cast<unsigned char>(value[i]))) ++i;
        if (i > word) flags.emplace(value.substr(word, i - word));
      }
      facts.flags = std::move(flags);
    } else if (key == "vmx flags") {
      facts.vmx_flags_line = true;
    }
    return true;
  });
  return facts;
}

}  // namespace ptdoctor::cpu
