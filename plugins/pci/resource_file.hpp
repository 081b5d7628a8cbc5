#pragma once
// The kernel's per-function `resource` file (linux:drivers/pci/pci-sysfs.c resource_show: "0x%016llx 0x%016llx
// 0x%016llx" per resource, the six BARs, then the expansion ROM, then bridge windows, which are not read), parsed
// into plain numbers once; the JSON of pci.devices[].bars, .rom and .bar_total is built from them where the record
// is built. Held as numbers rather than JSON because the sysfs guard parses every file before the records exist:
// a JSON tree per device built there and copied into the record was a third of `device_record` on a 1,024-function
// host (docs/performance.md, seventh round).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptdoctor/json.hpp"

namespace ptdoctor::pci {

// One BAR with a nonzero size: its line number (0-5), first address, size and the kernel's IORESOURCE_* flags.
struct Bar {
  int index = 0;
  std::uint64_t start = 0;
  std::uint64_t size = 0;
  std::uint64_t flags = 0;
};

struct Resources {
  std::vector<Bar> bars;        // in line order
  // The seventh line's size; none when the file has no such line (the fact's size is then the integer 0 rather
  // than the unsigned 0 a listed empty ROM gives: the same printed, kept as it was).
  std::optional<std::uint64_t> rom_size;
  std::uint64_t bar_total = 0;  // sum of the BARs' sizes
};

// Parses the text of a `resource` file, line by line as std::getline splits it (no empty line after a final
// newline), three whitespace-separated words per line as `std::istream >> std::string` reads them, each a whole
// hex number with an optional 0x as libpci's sscanf("%llx") needs. Returns "" on success, otherwise what is wrong
// with the first bad line ("line 3: expected three hex numbers, got '...'"), and `out` is then incomplete.
std::string parse_resources(std::string_view text, Resources& out);

// [{index, start, size, type: "io"|"mem"|"unknown", is_64bit, prefetchable}, ...]
Json bars_json(const Resources& resources);
// {present, size}
Json rom_json(const Resources& resources);

// The next whitespace-separated word of `line` from `position` on, as `std::istream >> std::string` reads it in
// the classic locale; empty at the end. Also splits `reset_method`.
std::string_view next_word(std::string_view line, std::size_t& position);

// A whole token of hex digits with an optional 0x/0X, as strtoull(token, &end, 16) reads it with *end == '\0' and
// a first character that is a hex digit (a larger value saturates at 2^64-1, as strtoull's does). Exposed for its
// test.
bool parse_hex_token(std::string_view token, std::uint64_t& value);

}  // namespace ptdoctor::pci
