// libFuzzer target: modprobe.d(5) files through parse_modprobe_conf (twice, as several files add to one
// configuration) and /etc/modules lists through parse_modules_list.
#include "fuzz_check.hpp"
#include "modprobe_conf.hpp"

using ptdoctor::fuzz::check;
namespace host = ptdoctor::hostplug;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = ptdoctor::fuzz::as_text(data, size);
  host::ModprobeConf conf;
  host::parse_modprobe_conf(text, "/etc/modprobe.d/a.conf", conf);
  host::parse_modprobe_conf(text, "/etc/modprobe.d/b.conf", conf);
  for (const auto& [module, words] : conf.options) {
    check(module.find('-') == std::string::npos, "module names are stored with '_'");
    check(conf.option_sources.count(module) == 1, "every options line has its source");
  }
  for (const std::string& module : host::parse_modules_list(text)) {
    check(!module.empty(), "listed modules have a name");
  }
  return 0;
}
