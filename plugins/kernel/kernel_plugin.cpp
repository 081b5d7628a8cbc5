// The kernel plugin: what the running dom0 (or bare-metal) Linux offers for Xen PCI passthrough.
#include "collectors.hpp"

namespace ptdoctor::hostplug {

class KernelPlugin final : public Plugin {
 public:
  PluginInfo info() const override {
    return {"kernel",
            "1.0.0",
            "kernel",
            "Linux release, config, command line, xen-pciback set-up, modprobe.d and GRUB defaults",
            {"kernel.release", "kernel.version", "kernel.config", "kernel.config_source", "kernel.config_complete",
             "kernel.cmdline.raw", "kernel.cmdline.params", "kernel.cmdline.init_args", "kernel.acs_override",
             "kernel.pciback.hide", "kernel.pciback.hide_wildcards", "kernel.pciback.hide_sources",
             "kernel.pciback.loaded", "kernel.pciback.builtin", "kernel.pciback.module", "kernel.pciback.devices",
             "kernel.pciback.load_sources", "kernel.modprobe.options", "kernel.modprobe.softdeps",
             "kernel.modprobe.installs", "kernel.modprobe.blacklist", "kernel.modprobe.files",
             "kernel.modules_file", "kernel.modules_load_d", "kernel.unsafe_interrupts",
             "kernel.unsafe_interrupts_source", "kernel.xen_dom0", "kernel.xen_guest_type",
             "kernel.iommu.groups_present", "kernel.iommu.group_count", "kernel.grub.files",
             "kernel.grub.GRUB_CMDLINE_LINUX", "kernel.grub.GRUB_CMDLINE_LINUX_DEFAULT",
             "kernel.grub.GRUB_CMDLINE_XEN", "kernel.grub.GRUB_CMDLINE_XEN_DEFAULT",
             "kernel.grub.GRUB_CMDLINE_LINUX_XEN_REPLACE", "kernel.grub.GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT"},
            {}};
  }

  void collect(const CollectContext& context, FactWriter& out) override {
    std::optional<std::string> release = collect_release(context, out);
    std::optional<KernelConfig> config = collect_config(context, release, out);
    std::optional<Cmdline> cmdline = collect_cmdline(context, out);
    collect_modules(context, release, config, cmdline, out);
    collect_platform(context, out);
    collect_grub(context, out);
  }
};

}  // namespace ptdoctor::hostplug

PTDOCTOR_PLUGIN(ptdoctor::hostplug::KernelPlugin)
