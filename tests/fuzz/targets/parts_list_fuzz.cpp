// libFuzzer target: a parts list (check --spec parts.yaml) through parse_parts_list. Bad input is an error value
// naming the file; an exception escaping here escapes `ptdoctor check --spec` too.
#include <string>

#include "fuzz_check.hpp"
#include "spec/parts_list.hpp"

using ptdoctor::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(ptdoctor::fuzz::as_text(data, size));
  const auto parts = ptdoctor::spec::parse_parts_list(text, "parts.yaml");
  if (!parts) {
    check(parts.error().message.rfind("parts.yaml", 0) == 0, "errors name the file");
  } else {
    check(!parts->cpu.empty() || !parts->chipset.empty() || !parts->motherboard.empty() || !parts->gpus.empty(),
          "a parts list names at least one part");
  }
  return 0;
}
