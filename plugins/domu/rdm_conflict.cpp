#include "rdm_conflict.hpp"

#include <algorithm>

namespace ptdoctor::domu {

bool rmrr_conflicts_with_guest_ram(const Json& rmrrs, std::optional<long> memory_mb, long rdm_mem_boundary_mb) {
  if (!rmrrs.is_array()) return false;
  constexpr std::uint64_t kMiB = 1ull << 20;
  constexpr std::uint64_t kLowRamCeiling = 4096ull * kMiB;  // guest low RAM never reaches the 4 GiB hole
  const std::uint64_t boundary = static_cast<std::uint64_t>(std::max(rdm_mem_boundary_mb, 0L)) * kMiB;
  std::uint64_t low_ram_end = kLowRamCeiling;
  if (memory_mb && *memory_mb > 0) low_ram_end = std::min(low_ram_end, static_cast<std::uint64_t>(*memory_mb) * kMiB);
  for (const Json& region : rmrrs) {
    if (!region.contains("base") || !region["base"].is_number_integer()) continue;
    const std::uint64_t base = region["base"].get<std::uint64_t>();
    // Above the boundary libxl shrinks low RAM instead; at or below it, an overlap with guest RAM is a conflict.
    if (base <= boundary && base < low_ram_end) return true;
  }
  return false;
}

}  // namespace ptdoctor::domu
