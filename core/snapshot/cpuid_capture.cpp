#include "snapshot/cpuid_capture.hpp"

#include <cstdint>
#include <cstdio>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace ptdoctor::snapshot {
namespace {

// Ranges are capped: a broken (or hostile) hypervisor may claim absurd maximum leaves.
constexpr std::uint32_t kMaxBasicLeaves = 0x40;
constexpr std::uint32_t kMaxRangeLeaves = 0x40;

struct Registers {
  std::uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
};

Registers query(std::uint32_t leaf, std::uint32_t subleaf) {
  Registers r;
#if defined(__x86_64__) || defined(__i386__)
  __cpuid_count(leaf, subleaf, r.eax, r.ebx, r.ecx, r.edx);
#else
  (void)leaf;
  (void)subleaf;
#endif
  return r;
}

void line(std::string& out, std::uint32_t leaf, std::uint32_t subleaf, const Registers& r) {
  char buffer[128];
  std::snprintf(buffer, sizeof buffer, "   0x%08x 0x%02x: eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x\n", leaf,
                subleaf, r.eax, r.ebx, r.ecx, r.edx);
  out += buffer;
}

// How many subleaves a leaf has, as the SDM defines them (the rest are printed with subleaf 0 only).
std::uint32_t subleaf_count(std::uint32_t leaf, const Registers& first) {
  switch (leaf) {
    case 0x4:  // deterministic cache parameters: until the cache type is 0
      for (std::uint32_t i = 0; i < 16; ++i) {
        if ((query(leaf, i).eax & 0x1f) == 0) return i + 1;
      }
      return 16;
    case 0x7:
      return first.eax + 1 > 8 ? 8 : first.eax + 1;
    case 0xb:
    case 0x1f:  // extended topology: until the level type is 0
      for (std::uint32_t i = 0; i < 8; ++i) {
        if (((query(leaf, i).ecx >> 8) & 0xff) == 0) return i + 1;
      }
      return 8;
    case 0xd:
      return 4;
    default:
      return 1;
  }
}

void dump_range(std::string& out, std::uint32_t base, std::uint32_t cap) {
  Registers head = query(base, 0);
  std::uint32_t last = head.eax;
  if (last < base || last - base > cap) last = base;
  for (std::uint32_t leaf = base; leaf <= last; ++leaf) {
    Registers first = query(leaf, 0);
    std::uint32_t count = subleaf_count(leaf, first);
    for (std::uint32_t sub = 0; sub < count; ++sub) line(out, leaf, sub, sub == 0 ? first : query(leaf, sub));
  }
}

}  // namespace

std::string raw_cpuid_dump() {
  std::string out = "CPU 0:\n";
#if defined(__x86_64__) || defined(__i386__)
  Registers basic = query(0, 0);
  std::uint32_t max_basic = basic.eax > kMaxBasicLeaves ? kMaxBasicLeaves : basic.eax;
  for (std::uint32_t leaf = 0; leaf <= max_basic; ++leaf) {
    Registers first = query(leaf, 0);
    std::uint32_t count = subleaf_count(leaf, first);
    for (std::uint32_t sub = 0; sub < count; ++sub) line(out, leaf, sub, sub == 0 ? first : query(leaf, sub));
  }
  dump_range(out, 0x40000000, 0x10);
  dump_range(out, 0x80000000, kMaxRangeLeaves);
#endif
  return out;
}

}  // namespace ptdoctor::snapshot
