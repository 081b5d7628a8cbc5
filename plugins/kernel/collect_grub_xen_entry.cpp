// kernel.grub_xen_entry: will update-grub list this kernel in a "with Xen hypervisor" entry?
//
// GRUB's util/grub.d/20_linux_xen.in lists a kernel under Xen only when its config file, the first of
// <dir>/config-VERSION and /etc/kernels/kernel-config-VERSION that exists, has a line that is exactly
// "CONFIG_XEN_DOM0=y" or "CONFIG_XEN_PRIVILEGED_GUEST=y" (`grep -qx`). A kernel whose config comes only from
// /proc/config.gz, or that was installed without its config, gets no Xen entry at all.
#include "collectors.hpp"
#include "text_util.hpp"

namespace ptdoctor::hostplug {

void collect_grub_xen_entry(const CollectContext& context, const std::optional<std::string>& release,
                            FactWriter& out) {
  if (!release) {
    out.unknown("grub_xen_entry", "the kernel release is unknown, so its /boot/config-<release> cannot be named");
    return;
  }
  for (const std::string& path : {"/boot/config-" + *release, "/etc/kernels/kernel-config-" + *release}) {
    if (!context.host.exists(path)) continue;
    auto text = context.host.read_file(path, 16u << 20);
    if (!text) {
      out.unknown("grub_xen_entry", read_failure(path, text.error()));
      return;
    }
    bool dom0 = false;
    for (std::string_view line : split_lines(*text)) {
      line = trim(line);
      if (line == "CONFIG_XEN_DOM0=y" || line == "CONFIG_XEN_PRIVILEGED_GUEST=y") dom0 = true;
    }
    out.set("grub_xen_entry", dom0, path);
    out.set("grub_xen_entry_config", path, path);
    return;
  }
  out.set("grub_xen_entry", false, "/boot/config-" + *release + " (missing)");
  out.set("grub_xen_entry_config", Json(), "/boot/config-" + *release + " (missing)");
}

}  // namespace ptdoctor::hostplug
