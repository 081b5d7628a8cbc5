// libFuzzer target: /proc/cpuinfo through parse_cpuinfo (the first processor block).
#include "cpuinfo_parser.hpp"
#include "fuzz_check.hpp"

using ptdoctor::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = ptdoctor::fuzz::as_text(data, size);
  const ptdoctor::cpu::CpuinfoFacts facts = ptdoctor::cpu::parse_cpuinfo(text, "/proc/cpuinfo");
  if (facts.flags) {
    for (const std::string& flag : *facts.flags) check(!flag.empty(), "flags are words");
  }
  for (const std::string& problem : facts.problems) check(problem.rfind("/proc/cpuinfo: ", 0) == 0, "problems name the file");
  return 0;
}
