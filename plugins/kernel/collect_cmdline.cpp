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
  for (const auto& [name, values] : cmdline.params) params[name] = values;
  out.set("cmdline.raw", raw, path);
  out.set("cmdline.params", std::move(params), path);
  out.set("cmdline.init_args", cmdline.init_args, path);
  // pcie_acs_override= (an out-of-tree patch carried by some kernels) makes the kernel pretend devices are
  // isolated when they are not.
  out.set("acs_override", cmdline.params.count("pcie_acs_override") > 0, path);
  return cmdline;
}

}  // namespace ptdoctor::hostplug
