// libFuzzer target: /proc/cmdline (Linux rules) and Xen's command line (xl info xen_commandline: no '-'/'_'
// folding, no "--") through parse_cmdline, and xen-pciback.hide values through parse_hide_list, as the kernel
// plugin reads them. The first byte picks the options.
#include "bdf.hpp"
#include "cmdline.hpp"
#include "fuzz_check.hpp"
#include "pciback_hide.hpp"

using ptdoctor::fuzz::check;
namespace host = ptdoctor::hostplug;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const host::CmdlineOptions options{(data[0] & 1) != 0, (data[0] & 2) != 0};
  const std::string_view text = ptdoctor::fuzz::as_text(data + 1, size - 1);
  const host::Cmdline cmdline = host::parse_cmdline(text, options);
  for (const auto& [name, values] : cmdline.params) {
    check(!name.empty(), "parameter names are not empty");
    if (options.underscore_names) check(name.find('-') == std::string::npos, "names are stored with '_'");
    check(!values.empty(), "a parameter has at least one value");
    for (const std::string& value : values) check(value.size() <= text.size(), "a value is no longer than the line");
  }
  if (!options.stop_at_dashes) check(cmdline.init_args.empty(), "init arguments only after a lone --");

  const host::HideList hide = host::parse_hide_list(text);
  if (hide.error) check(hide.bdfs.empty() && hide.wildcards.empty(), "a bad hide list hides nothing");
  for (const std::string& bdf : hide.bdfs) {
    check(host::normalize_bdf(bdf) == bdf, "hidden BDFs are normalised");
  }
  for (const auto& [name, values] : cmdline.params) {
    if (name != "xen_pciback.hide") continue;
    for (const std::string& value : values) host::parse_hide_list(value);
  }
  return 0;
}
