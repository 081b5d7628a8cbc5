// kernel.cmdline.*: the command line the running kernel was booted with.
#include "cmdline.hpp"
#include "collectors.hpp"
#include "text_util.hpp"

namespace ptdoctor::hostplug {

std::optional<Cmdline> collect_cmdline(const CollectContext& context, FactWriter& out) {
  const std::string path = "/proc/cmdline";
  auto text = context.host.read_file(path);
  if (!text) {
    out.unknown("cmdline", read_failure(path, text.error()));
    out.unknown("acs_override", read_failure(path, text.error()));
    return std::nullopt;
  }
  std::string raw(trim(*text));
  Cmdline cmdline = parse_cmdline(raw);
  Json params = Json::object();
  // "module.param" names cannot be addressed in a dotted fact path, so module parameters are also given nested:
  // kernel.cmdline.module_params.xen_pciback.hide.
  Json module_params = Json::object();
  for (const auto& [name, values] : cmdline.params) {
    params[name] = values;
    std::size_t dot = name.find('.');
    if (dot != std::string::npos && dot > 0 && dot + 1 < name.size()) {
      module_params[name.substr(0, dot)][name.substr(dot + 1)] = values;
    }
  }
  out.set("cmdline.raw", raw, path);
  out.set("cmdline.params", std::move(params), path);
  out.set("cmdline.module_params", std::move(module_params), path);
  out.set("cmdline.init_args", cmdline.init_args, path);
  // pcie_acs_override= (an out-of-tree patch carried by some kernels) makes the kernel pretend devices are
  // isolated when they are not.
  out.set("acs_override", cmdline.params.count("pcie_acs_override") > 0, path);
  return cmdline;
}

}  // namespace ptdoctor::hostplug
