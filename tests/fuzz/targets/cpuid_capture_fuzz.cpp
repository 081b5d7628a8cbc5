// libFuzzer target: a `cpuid -r` capture (.ptdoctor/capture/cpuid.txt in a root or snapshot) through
// parse_cpuid_capture. Problems stay capped.
#include "cpuid_dump.hpp"
#include "fuzz_check.hpp"

using ptdoctor::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = ptdoctor::fuzz::as_text(data, size);
  const ptdoctor::cpu::ParsedCapture capture = ptdoctor::cpu::parse_cpuid_capture(text, "cpuid.txt");
  check(capture.problems.size() <= ptdoctor::cpu::kMaxProblems + 1, "problems are capped");
  check(capture.dump.size() <= ptdoctor::fuzz::line_count(text), "at most one leaf per line");
  for (const std::string& problem : capture.problems) check(problem.rfind("cpuid.txt", 0) == 0, "problems name the file");
  return 0;
}
