#include "resource_file.hpp"

#include <array>
#include <limits>

namespace ptdoctor::pci {
namespace {

// include/linux/ioport.h IORESOURCE_* flags as printed in the third column of `resource`.
constexpr std::uint64_t kIoResourceIo = 0x100, kIoResourceMem = 0x200, kIoResourcePrefetch = 0x2000,
                        kIoResourceMem64 = 0x100000;
constexpr int kRomLine = 6;

// Each byte's value as a hex digit, -1 for any other byte: one load per character of the 48 hex digits on each of
// a function's seven lines.
constexpr auto kHexDigits = [] {
  std::array<signed char, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[c] = static_cast<signed char>(c >= '0' && c <= '9'   ? c - '0'
                                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                               : -1);
  }
  return table;
}();

int hex_digit(char c) { return kHexDigits[static_cast<unsigned char>(c)]; }

// An object's members go in at the end of its sorted vector when given in key order, without a search: every
// BAR's six fields and the ROM's two are, and a record holds ~3 BARs (emplace_hint compares with the last key
// only). The objects are reserved at their final size first: grown by doubling, a BAR's six members would take
// the room of eight (0.8 MB of `facts`' peak on the 4k sriov host, heaptrack).
template <class Value>
void append(Json::object_t& object, const char* key, Value&& value) {
  object.emplace_hint(object.end(), key, std::forward<Value>(value));
}

}  // namespace

std::string_view next_word(std::string_view line, std::size_t& position) {
  // The classic locale's white space, which a default-constructed stream uses whatever the C locale is.
  auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (position < line.size() && space(line[position])) ++position;
  const std::size_t start = position;
  while (position < line.size() && !space(line[position])) ++position;
  return line.substr(start, position - start);
}

bool parse_hex_token(std::string_view token, std::uint64_t& value) {
  if (token.empty() || hex_digit(token.front()) < 0) return false;
  // strtoull takes "0x" as a prefix only when a hex digit follows; otherwise it reads the "0" and stops at 'x'.
  std::size_t position = 0;
  if (token.size() > 2 && token[0] == '0' && (token[1] == 'x' || token[1] == 'X') && hex_digit(token[2]) >= 0) {
    position = 2;
  }
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t result = 0;
  bool overflow = false;
  for (; position < token.size(); ++position) {
    const int digit = hex_digit(token[position]);
    if (digit < 0) return false;
    if (result > (kMax >> 4)) overflow = true;
    result = (result << 4) | static_cast<std::uint64_t>(digit);
  }
  value = overflow ? kMax : result;
  return true;
}

std::string parse_resources(std::string_view text, Resources& out) {
  int index = 0;
  for (std::size_t begin = 0; begin < text.size() && index <= kRomLine; ++index) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(begin, end - begin);
    begin = end + 1;
    std::size_t position = 0;
    const std::string_view start_text = next_word(line, position);
    const std::string_view end_text = next_word(line, position);
    const std::string_view flags_text = next_word(line, position);
    std::uint64_t start = 0, end_address = 0, flags = 0;
    if (flags_text.empty() || !parse_hex_token(start_text, start) || !parse_hex_token(end_text, end_address) ||
        !parse_hex_token(flags_text, flags)) {
      return "line " + std::to_string(index + 1) + ": expected three hex numbers, got '" + std::string(line) + "'";
    }
    const std::uint64_t size = end_address > start ? end_address - start + 1 : 0;
    if (index == kRomLine) {
      out.rom_size = size;
      continue;
    }
    if (size == 0) continue;
    out.bar_total += size;
    out.bars.push_back({index, start, size, flags});
  }
  return {};
}

Json bars_json(const Resources& resources) {
  Json bars = Json::array();
  auto& list = bars.get_ref<Json::array_t&>();
  list.reserve(resources.bars.size());
  for (const Bar& bar : resources.bars) {
    Json& object = list.emplace_back(Json::value_t::object);
    auto& fields = object.get_ref<Json::object_t&>();
    fields.reserve(6);
    const char* type = (bar.flags & kIoResourceIo) ? "io" : (bar.flags & kIoResourceMem) ? "mem" : "unknown";
    append(fields, "index", bar.index);
    append(fields, "is_64bit", (bar.flags & kIoResourceMem64) != 0);
    append(fields, "prefetchable", (bar.flags & kIoResourcePrefetch) != 0);
    append(fields, "size", bar.size);
    append(fields, "start", bar.start);
    append(fields, "type", type);
  }
  return bars;
}

Json rom_json(const Resources& resources) {
  Json rom(Json::value_t::object);
  auto& fields = rom.get_ref<Json::object_t&>();
  fields.reserve(2);
  append(fields, "present", resources.rom_size.value_or(0) > 0);
  if (resources.rom_size) {
    append(fields, "size", *resources.rom_size);
  } else {
    append(fields, "size", 0);
  }
  return rom;
}

}  // namespace ptdoctor::pci
