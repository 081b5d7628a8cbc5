#pragma once
// Builds ACPI table bytes for tests: little-endian fields appended in order, a 36-byte header, and finish() to set
// the length and checksum the way firmware does (or to leave them wrong on purpose).
#include <cstdint>
#include <string>
#include <string_view>

namespace ptdoctor::acpi::testing {

class TableBuilder {
 public:
  // Header with `signature` and `revision`; length and checksum are filled in by finish().
  TableBuilder(std::string_view signature, std::uint8_t revision) {
    bytes_.append(signature.substr(0, 4));
    u32(0).u8(revision).u8(0);
    bytes_.append("PTDOCT");
    bytes_.append("TESTTABL");
    u32(1);
    bytes_.append("TEST");
    u32(1);
  }
  TableBuilder& u8(std::uint64_t value) { return put(value, 1); }
  TableBuilder& u16(std::uint64_t value) { return put(value, 2); }
  TableBuilder& u32(std::uint64_t value) { return put(value, 4); }
  TableBuilder& u64(std::uint64_t value) { return put(value, 8); }
  TableBuilder& raw(std::string_view bytes) { bytes_.append(bytes); return *this; }
  TableBuilder& zeros(std::size_t count) { bytes_.append(count, '\0'); return *this; }
  std::size_t size() const { return bytes_.size(); }

  // Sets the length field to the size and the checksum so that all bytes sum to 0 mod 256.
  std::string finish() {
    std::string table = bytes_;
    const std::uint32_t length = static_cast<std::uint32_t>(table.size());
    for (int i = 0; i < 4; ++i) table[4 + i] = static_cast<char>((length >> (8 * i)) & 0xff);
    table[9] = 0;
    unsigned sum = 0;
    for (char c : table) sum += static_cast<unsigned char>(c);
    table[9] = static_cast<char>((0x100 - (sum & 0xff)) & 0xff);
    return table;
  }

 private:
  TableBuilder& put(std::uint64_t value, int width) {
    for (int i = 0; i < width; ++i) bytes_.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
    return *this;
  }
  std::string bytes_;
};

// A DMAR device scope: type, start bus and (device, function) hops.
inline std::string dmar_scope(std::uint8_t type, std::uint8_t bus, std::initializer_list<std::pair<int, int>> path,
                              std::uint8_t enumeration_id = 0) {
  std::string scope;
  scope.push_back(static_cast<char>(type));
  scope.push_back(static_cast<char>(6 + 2 * path.size()));
  scope.append(2, '\0');
  scope.push_back(static_cast<char>(enumeration_id));
  scope.push_back(static_cast<char>(bus));
  for (const auto& [device, function] : path) {
    scope.push_back(static_cast<char>(device));
    scope.push_back(static_cast<char>(function));
  }
  return scope;
}

// A DMAR with host address width field `haw` (N, meaning N+1 bits) and `flags`, ready for remapping structures.
inline TableBuilder dmar_builder(std::uint8_t haw = 0x26, std::uint8_t flags = 0x01) {
  TableBuilder builder("DMAR", 1);
  builder.u8(haw).u8(flags).zeros(10);
  return builder;
}

inline TableBuilder ivrs_builder(std::uint32_t ivinfo = 0x00203041, std::uint8_t revision = 2) {
  TableBuilder builder("IVRS", revision);
  builder.u32(ivinfo).u64(0);
  return builder;
}

}  // namespace ptdoctor::acpi::testing
