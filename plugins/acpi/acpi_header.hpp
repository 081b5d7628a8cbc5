#pragma once
// The 36-byte header every ACPI system description table starts with, and the checks shared by the DMAR and IVRS
// parsers: size, declared length versus the bytes present, and the checksum (all bytes sum to 0 mod 256).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor::acpi {

inline constexpr std::size_t kAcpiHeaderSize = 36;

struct AcpiHeader {
  std::string signature;
  std::uint32_t length = 0;
  std::uint8_t revision = 0;
  std::uint8_t checksum = 0;
  std::string oem_id;
  std::string oem_table_id;
  std::uint32_t oem_revision = 0;
  std::string creator_id;
  std::uint32_t creator_revision = 0;
};

// A subtable of a type ptdoctor does not know, skipped by its length and reported.
struct UnknownSubtable {
  std::size_t offset = 0;
  std::uint16_t type = 0;
  std::uint16_t length = 0;
};

// What a table parser may walk after the header checks.
struct TablePrelude {
  bool header_read = false;   // the 36 header bytes were there
  bool header_ok = false;     // false: the file is too short or declares too short a length; nothing else to read
  AcpiHeader header;
  std::string_view table;     // the bytes to parse: the declared length, or fewer when the file is shorter
  bool checksum_ok = false;
};

// Checks the header of `file`; `label` ("DMAR") prefixes every message appended to `errors`, and `fixed_size` is
// the size of the table's own fixed part (48 for DMAR and IVRS) below which nothing can be parsed.
TablePrelude read_prelude(std::string_view file, std::string_view label, std::size_t fixed_size,
                          std::vector<std::string>& errors);

// "0xfed90000": how humans read firmware addresses.
std::string hex(std::uint64_t value);
// "DMAR: offset 0x58: <text>": the shape of every parser message.
std::string at_offset(std::string_view label, std::size_t offset, std::string_view text);
// Printable ASCII of a fixed-width or NUL-terminated field; other bytes become '?'. Trailing NULs are dropped.
std::string printable(std::string_view raw);

}  // namespace ptdoctor::acpi
