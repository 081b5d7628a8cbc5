// libFuzzer target: `xl info` output (a capture or the live command) through parse_xl_info.
#include <cctype>

#include "fuzz_check.hpp"
#include "xl_info.hpp"

using ptdoctor::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = ptdoctor::fuzz::as_text(data, size);
  const ptdoctor::hostplug::XlInfo info = ptdoctor::hostplug::parse_xl_info(text);
  for (const auto& [key, value] : info.fields) {
    check(!key.empty(), "keys are not empty");
    for (char c : key) check(std::isalnum(static_cast<unsigned char>(c)) || c == '_', "keys are words");
  }
  const std::size_t lines = ptdoctor::fuzz::line_count(text);
  for (const auto& problem : info.problems) check(problem.line >= 1 && problem.line <= lines, "problem line in input");
  return 0;
}
