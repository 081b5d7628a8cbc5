// libFuzzer target: kernel .config text (/boot/config-*, --kernel-config) through parse_kconfig. Every option kept
// is a CONFIG_ name, and every problem names a line of the input.
#include "fuzz_check.hpp"
#include "kconfig.hpp"

using ptdoctor::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = ptdoctor::fuzz::as_text(data, size);
  const ptdoctor::hostplug::Kconfig config = ptdoctor::hostplug::parse_kconfig(text);
  for (const auto& [name, value] : config.options) {
    check(name.size() > 7 && name.compare(0, 7, "CONFIG_") == 0, "option names start with CONFIG_");
  }
  const std::size_t lines = ptdoctor::fuzz::line_count(text);
  for (const auto& problem : config.problems) check(problem.line >= 1 && problem.line <= lines, "problem line in input");
  return 0;
}
