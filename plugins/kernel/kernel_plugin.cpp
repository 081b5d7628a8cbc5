// The kernel plugin: what the running dom0 (or bare-metal) Linux offers for Xen PCI passthrough.
//
// Facts (public names; rules/kernel.yaml judges them):
//   kernel.release, kernel.version      /proc/sys/kernel/osrelease ("6.1.0-13-amd64", "6.1.0")
//   kernel.config                       map "CONFIG_X" -> "y" | "m" | "n" ("# ... is not set") | value; an option
//                                       the file does not mention is absent. kernel.config_source names the file
//                                       (--kernel-config, /proc/config.gz, /boot/config-<release>);
//                                       kernel.config_complete is false after a gzip error or unreadable lines.
//   kernel.grub_xen_entry (+ _config)   /boot/config-<release> (or /etc/kernels/kernel-config-<release>) has the
//                                       exact line CONFIG_XEN_DOM0=y, so GRUB's 20_linux_xen gives this kernel a
//                                       Xen entry; false when the file is missing (e.g. config only in
//                                       /proc/config.gz).
//   kernel.cmdline.raw / .params / .init_args   /proc/cmdline; params: name -> list of values (bare flag: [""]),
//                                       names with '_' for '-' ("xen_pciback.hide"); .module_params nests
//                                       "module.param" as module -> param -> values. kernel.acs_override (bool).
//   kernel.pciback.hide                 BDFs hidden by xen-pciback.hide= and `options xen-pciback hide=`, with
//                                       (BB:SS.*) expanded over present devices; .hide_wildcards, .hide_sources;
//                                       .cmdline_hide: the part from /proc/cmdline alone; .hide_errors: each
//                                       list xen-pciback rejects whole (it then hides nothing from it).
//   kernel.pciback.builtin / .module    from CONFIG_XEN_PCIDEV_BACKEND; .loaded, .devices (bound to pciback),
//                                       .load_sources (what loads the module: /etc/modules, initramfs, softdeps).
//   kernel.modprobe.options / .softdeps / .installs / .blacklist / .files   modprobe.d, module names with '_'.
//   kernel.modules_file, kernel.modules_load_d, kernel.initramfs_modules     module lists.
//   kernel.unsafe_interrupts (+ _source) vfio_iommu_type1 allow_unsafe_interrupts set anywhere.
//   kernel.xen_dom0, kernel.xen_guest_type   PV dom0? (/proc/xen/capabilities control_d, guest_type PV).
//   kernel.iommu.groups_present / .group_count   /sys/kernel/iommu_groups (never present in a Xen dom0).
//   kernel.grub.GRUB_CMDLINE_*          values after reading /etc/default/grub and grub.d/*.cfg as the shell would
//                                       (nothing executed); kernel.grub.files lists the files read;
//                                       kernel.grub.xen_dom0_pciback_hide: BDFs the next Xen boot's dom0 line hides.
#include "collectors.hpp"

namespace ptdoctor::hostplug {

class KernelPlugin final : public Plugin {
 public:
  PluginInfo info() const override {
    return {"kernel",
            "1.0.0",
            "kernel",
            "Linux release, config, command line, xen-pciback set-up, modprobe.d and GRUB defaults",
            {},  // provides: declared once in plugins/kernel/facts.yaml, filled in by the core
            {}};
  }

  void collect(const CollectContext& context, FactWriter& out) override {
    std::optional<std::string> release = collect_release(context, out);
    std::optional<KernelConfig> config = collect_config(context, release, out);
    collect_grub_xen_entry(context, release, out);
    std::optional<Cmdline> cmdline = collect_cmdline(context, out);
    collect_modules(context, release, config, cmdline, out);
    collect_platform(context, out);
    collect_grub(context, out);
  }
};

}  // namespace ptdoctor::hostplug

PTDOCTOR_PLUGIN(ptdoctor::hostplug::KernelPlugin)
