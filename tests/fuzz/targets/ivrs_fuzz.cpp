// libFuzzer target: any bytes through the IVRS parser must neither crash, hang nor read out of bounds, and every
// range it expands must be ordered.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ivrs_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(static_cast<const char*>(static_cast<const void*>(data)), size);
  const ptdoctor::acpi::IvrsTable table = ptdoctor::acpi::parse_ivrs(bytes);
  for (const auto& unit : table.ivhd) {
    if (unit.offset >= size) std::abort();
    for (const auto& range : unit.ranges) {
      if (range.first > range.last || range.offset >= size) std::abort();
    }
  }
  return 0;
}
