#include "bdf.hpp"

#include <cctype>
#include <cstdio>

namespace ptdoctor::hostplug {
namespace {

// Parses 1 to `digits` hex digits no larger than `max` at text[pos...]. Short fields are accepted because
// xen-pciback reads its hide list with sscanf("%x:%x:%x.%x"), so "(8:0.0)" works there.
bool hex_field(std::string_view text, std::size_t& pos, int digits, unsigned max, unsigned& value) {
  value = 0;
  int used = 0;
  while (used < digits && pos < text.size() && std::isxdigit(static_cast<unsigned char>(text[pos]))) {
    char c = static_cast<char>(std::tolower(static_cast<unsigned char>(text[pos])));
    value = value * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : c - 'a' + 10);
    ++pos;
    ++used;
  }
  return used > 0 && value <= max;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

// Domain (optional), bus, slot up to the '.'; returns the position after '.'.
bool parse_slot(std::string_view text, unsigned& domain, unsigned& bus, unsigned& slot, std::size_t& pos) {
  domain = 0;
  pos = 0;
  // With a domain the text has two ':' before the '.'.
  std::size_t colons = 0;
  for (char c : text) colons += c == ':';
  if (colons == 2) {
    if (!hex_field(text, pos, 4, 0xffff, domain) || !expect(text, pos, ':')) return false;
  } else if (colons != 1) {
    return false;
  }
  return hex_field(text, pos, 2, 0xff, bus) && expect(text, pos, ':') && hex_field(text, pos, 2, 0x1f, slot) &&
         expect(text, pos, '.');
}

std::string format_slot(unsigned domain, unsigned bus, unsigned slot) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04x:%02x:%02x", domain, bus, slot);
  return buffer;
}

}  // namespace

std::optional<std::string> normalize_bdf(std::string_view text) {
  unsigned domain = 0, bus = 0, slot = 0, function = 0;
  std::size_t pos = 0;
  if (!parse_slot(text, domain, bus, slot, pos)) return std::nullopt;
  if (!hex_field(text, pos, 1, 7, function) || pos != text.size()) return std::nullopt;
  return format_slot(domain, bus, slot) + "." + std::to_string(function);
}

std::optional<std::string> normalize_slot_wildcard(std::string_view text) {
  unsigned domain = 0, bus = 0, slot = 0;
  std::size_t pos = 0;
  if (!parse_slot(text, domain, bus, slot, pos)) return std::nullopt;
  if (text.substr(pos) != "*") return std::nullopt;
  return format_slot(domain, bus, slot);
}

std::optional<std::string> normalize_bus_wildcard(std::string_view text) {
  constexpr std::string_view kEveryDevice = ":*.*";
  if (text.size() <= kEveryDevice.size() || text.substr(text.size() - kEveryDevice.size()) != kEveryDevice) {
    return std::nullopt;
  }
  const std::string_view head = text.substr(0, text.size() - kEveryDevice.size());
  unsigned domain = 0, bus = 0;
  std::size_t pos = 0;
  if (head.find(':') != std::string_view::npos && !(hex_field(head, pos, 4, 0xffff, domain) && expect(head, pos, ':'))) {
    return std::nullopt;
  }
  if (!hex_field(head, pos, 2, 0xff, bus) || pos != head.size()) return std::nullopt;
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04x:%02x", domain, bus);
  return buffer;
}

}  // namespace ptdoctor::hostplug
