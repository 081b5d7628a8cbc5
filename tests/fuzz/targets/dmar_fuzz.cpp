// libFuzzer target: any bytes through the DMAR parser and validator must neither crash, hang nor read out of
// bounds (ASan/UBSan watch), and everything parsed must lie inside the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "dmar_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(static_cast<const char*>(static_cast<const void*>(data)), size);
  ptdoctor::acpi::DmarTable table = ptdoctor::acpi::parse_dmar(bytes);
  ptdoctor::acpi::validate_dmar(table);
  for (const auto& unit : table.drhd) {
    for (const auto& scope : unit.scopes) {
      if (scope.offset >= size || unit.offset >= scope.offset) std::abort();
    }
  }
  for (const auto& region : table.rmrr) {
    if (region.offset + 24 > size) std::abort();
  }
  return 0;
}
