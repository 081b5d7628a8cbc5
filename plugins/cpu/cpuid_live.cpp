#include "cpuid_live.hpp"

#include <algorithm>

#include "cpuid_decode.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace ptdoctor::cpu {

#if defined(__x86_64__) || defined(__i386__)

namespace {

CpuidRegisters query(std::uint32_t leaf, std::uint32_t subleaf) {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  __cpuid_count(leaf, subleaf, eax, ebx, ecx, edx);
  return {eax, ebx, ecx, edx};
}

constexpr std::uint32_t kEcxHypervisor = 1u << 31;

}  // namespace

Result<CpuidDump> read_live_cpuid() {
  CpuidDump dump;
  // __get_cpuid_max checks that CPUID exists at all (always on x86-64) and returns the highest leaf of a range.
  const unsigned max_basic = __get_cpuid_max(0, nullptr);
  if (max_basic == 0 && !__get_cpuid_max(0x80000000, nullptr)) {
    return make_error(ErrorKind::kUnsupported, "the CPUID instruction reports no leaves");
  }
  dump.put(0, 0, query(0, 0));
  if (max_basic >= 1) dump.put(1, 0, query(1, 0));
  const unsigned max_extended = __get_cpuid_max(0x80000000, nullptr);
  if (max_extended >= 0x80000000) {
    for (std::uint32_t leaf = 0x80000000; leaf <= std::min<std::uint32_t>(max_extended, 0x80000004); ++leaf) {
      dump.put(leaf, 0, query(leaf, 0));
    }
  }
  auto leaf1 = dump.get(1);
  if (leaf1 && (leaf1->ecx & kEcxHypervisor) != 0) {
    for (std::uint32_t base = kHypervisorBase; base < kHypervisorEnd; base += kHypervisorStep) {
      CpuidRegisters registers = query(base, 0);
      if (!is_hypervisor_range(base, registers)) continue;
      dump.put(base, 0, registers);
    }
  }
  return dump;
}

#else

Result<CpuidDump> read_live_cpuid() {
  return make_error(ErrorKind::kUnsupported, "CPUID exists only on x86; this build is for another architecture");
}

#endif

}  // namespace ptdoctor::cpu
