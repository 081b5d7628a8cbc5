#include "acpi_header.hpp"

#include <cstdio>

#include "byte_cursor.hpp"

namespace ptdoctor::acpi {

std::string hex(std::uint64_t value) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "0x%llx", static_cast<unsigned long long>(value));
  return buffer;
}

std::string at_offset(std::string_view label, std::size_t offset, std::string_view text) {
  std::string message(label);
  message += ": offset ";
  message += hex(offset);
  message += ": ";
  message += text;
  return message;
}

std::string printable(std::string_view raw) {
  while (!raw.empty() && raw.back() == '\0') raw.remove_suffix(1);
  std::string text;
  for (char c : raw) text += (c >= 0x20 && c < 0x7f) ? c : '?';
  return text;
}

TablePrelude read_prelude(std::string_view file, std::string_view label, std::size_t fixed_size,
                          std::vector<std::string>& errors) {
  TablePrelude prelude;
  const ByteCursor cursor(file);
  if (!cursor.has(0, kAcpiHeaderSize)) {
    errors.push_back(at_offset(label, 0,
        "file is " + std::to_string(file.size()) + " bytes, shorter than the 36-byte ACPI table header; "
        "nothing parsed (the table is truncated: dump it again with `acpidump -n " + std::string(label) + "`)"));
    return prelude;
  }
  prelude.header_read = true;
  AcpiHeader& header = prelude.header;
  header.signature = printable(file.substr(0, 4));
  header.length = cursor.u32_or0(4);
  header.revision = cursor.u8_or0(8);
  header.checksum = cursor.u8_or0(9);
  header.oem_id = printable(file.substr(10, 6));
  header.oem_table_id = printable(file.substr(16, 8));
  header.oem_revision = cursor.u32_or0(24);
  header.creator_id = printable(file.substr(28, 4));
  header.creator_revision = cursor.u32_or0(32);

  if (header.length < fixed_size) {
    errors.push_back(at_offset(label, 4,
        "table length " + std::to_string(header.length) + " is shorter than the " + std::to_string(fixed_size) +
        "-byte " + std::string(label) + " header; nothing parsed (firmware bug: report it to the vendor)"));
    return prelude;
  }
  std::size_t usable = header.length;
  if (!cursor.has(0, header.length)) {
    usable = file.size();
    errors.push_back(at_offset(label, 4,
        "table length " + std::to_string(header.length) + " runs past the end of the file (" +
        std::to_string(file.size()) + " bytes); only the bytes present were parsed (truncated copy?)"));
  }
  prelude.table = file.substr(0, usable);
  unsigned sum = 0;
  for (char c : prelude.table) sum += static_cast<unsigned char>(c);
  prelude.checksum_ok = usable == header.length && (sum & 0xff) == 0;
  if (usable == header.length && !prelude.checksum_ok) {
    errors.push_back(at_offset(label, 9,
        "checksum mismatch: the table's bytes sum to " + hex(sum & 0xff) + " mod 256 instead of 0 (checksum byte " +
        hex(header.checksum) + "); the table is corrupt or was edited: update the firmware"));
  }
  prelude.header_ok = usable >= fixed_size;
  if (!prelude.header_ok) {
    errors.push_back(at_offset(label, usable,
        "only " + std::to_string(usable) + " bytes present, fewer than the " + std::to_string(fixed_size) +
        "-byte " + std::string(label) + " header; nothing parsed"));
  }
  return prelude;
}

}  // namespace ptdoctor::acpi
