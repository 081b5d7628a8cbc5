#pragma once
// Raw CPUID results of one logical CPU, keyed by (leaf, subleaf), and the parser for `cpuid -r` text.
// The text format (Debian package `cpuid`, REFERENCE.md §7) is what users can produce and attach to a snapshot:
//   CPU 0:
//      0x00000001 0x00: eax=0x000906ed ebx=0x00100800 ecx=0x7ffafbbf edx=0xbfebfbff
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ptdoctor::cpu {

struct CpuidRegisters {
  std::uint32_t eax = 0;
  std::uint32_t ebx = 0;
  std::uint32_t ecx = 0;
  std::uint32_t edx = 0;
  bool operator==(const CpuidRegisters&) const = default;
};

class CpuidDump {
 public:
  std::optional<CpuidRegisters> get(std::uint32_t leaf, std::uint32_t subleaf = 0) const;
  // Returns false (and keeps the first value) when the leaf was already there.
  bool put(std::uint32_t leaf, std::uint32_t subleaf, CpuidRegisters registers);
  bool empty() const { return leaves_.empty(); }
  std::size_t size() const { return leaves_.size(); }

 private:
  std::map<std::pair<std::uint32_t, std::uint32_t>, CpuidRegisters> leaves_;
};

struct ParsedCapture {
  CpuidDump dump;
  // One sentence per problem, each naming origin and line: "<origin>: line 7: ...". Capped, see kMaxProblems.
  std::vector<std::string> problems;
  // The `CPU N:` section the leaves came from (the first one, normally CPU 0); -1 when there was no heading.
  int cpu = -1;
};

inline constexpr std::size_t kMaxProblems = 20;

// Never fails: whatever parses is kept, every line that does not is reported. `origin` names the file in messages.
// Lines starting with '#' are comments (hand-built test captures say how they were made).
ParsedCapture parse_cpuid_capture(std::string_view text, std::string_view origin);

}  // namespace ptdoctor::cpu
