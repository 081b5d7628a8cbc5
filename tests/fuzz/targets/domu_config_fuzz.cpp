// libFuzzer target: a domU config (/etc/xen/*.cfg, --domu) through ptdoctor's key-line scanner (key_lines) and
// through Xen's libxlutil behind XlConfig, with the queries the domu plugin makes (name, memory, pci list and each
// pci= entry, rdm). libxlutil itself is not instrumented: ASan still sees its heap.
#include <string>

#include "fuzz_check.hpp"
#include "key_lines.hpp"
#include "xl_parser.hpp"

using ptdoctor::fuzz::check;
namespace domu = ptdoctor::domu;

// libxlutil 4.17 leaks a string or two when a config fails to parse (xlu__cfg_string_mk, allocated during bison's
// error recovery and never freed). That is Xen's bug, bounded per parse, and ptdoctor parses each file once: only
// leaks of our own code fail this target.
extern "C" const char* __lsan_default_suppressions() { return "leak:libxlutil.so\n"; }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = ptdoctor::fuzz::as_text(data, size);
  const int lines = static_cast<int>(ptdoctor::fuzz::line_count(text));
  for (const auto& [key, where] : domu::key_lines(text)) {
    check(!key.empty(), "keys are not empty");
    check(where.line >= 1 && where.line <= lines, "a key's line is in the input");
    for (int line : where.item_lines) check(line >= 1 && line <= lines, "a list item's line is in the input");
  }
  const domu::XlConfig config(text, "fuzz.cfg");
  config.report();
  if (!config.ok()) return 0;
  config.text("name");
  config.number("memory");
  if (auto rdm = config.text("rdm")) config.rdm_accepted(*rdm);
  if (auto pci = config.list("pci")) {
    for (const std::string& spec : *pci) {
      const domu::PciSpec parsed = config.pci(spec, domu::PciDefaults{});
      if (parsed.parsed) check(!parsed.bdf.empty() || spec.find("name=") != std::string::npos,
                               "a parsed pci= entry has an address or a name");
    }
  }
  return 0;
}
