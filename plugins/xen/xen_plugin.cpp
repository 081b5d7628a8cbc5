// The Xen plugin: is the hypervisor running, which version, and is its IOMMU and HVM support on.
//
// Facts (public names; rules/xen.yaml judges them). When Xen is not running every hypervisor fact below is
// unknown with the reason "Xen is not running".
//   xen.running                /sys/hypervisor/type == "xen" (or an xl-info.txt capture)
//   xen.version ("4.17.3"), xen.major, xen.minor (ints), xen.extra (".3"), xen.major_minor ("4.17")
//                              from `xl info`, else /sys/hypervisor/version/*
//   xen.caps, xen.virt_caps    word lists from `xl info` xen_caps / virt_caps
//   xen.commandline, xen.commandline_params (name -> values), xen.commandline_iommu (iommu= sub-options, [] if none)
//   xen.commandline_iommu_off_by  the word that leaves Xen's IOMMU off, read as Xen does (later words win,
//                              no-iommu = iommu=no); null when the line leaves it on
//   xen.total_memory_mb, xen.free_memory_mb, xen.nr_cpus
//   xen.iommu_enabled          true: virt_caps has hvm_directio or pv_directio, or dmesg "I/O virtualisation enabled";
//                              false: dmesg "disabled" or virt_caps lists hvm without hvm_directio; else unknown
//   xen.intremap_enabled       dmesg "Interrupt remapping enabled|disabled"; false when the IOMMU is off; unknown
//                              when the log lacks the line
//   xen.hvm, xen.hap           xen_caps hvm-* / virt_caps hap (hap: Xen 4.13+), or the HVM lines of xl dmesg
//   xen.intremap_errata        Xen's Tylersburg quirk applies: an Intel X58 I/O hub (8086:3405) or a 5500/5520
//                              (8086:3403/3406) below rev 0x22 at BB:00.0, or xl dmesg's "Disabling IOMMU due to
//                              Intel ... errata" line; collected with or without Xen running
//   xen.intremap_errata_evidence  which hub or dmesg line says so
//   xen.dmesg.truncated        no "Xen version" line near the top: the other xen.dmesg.* facts are then unknown
//                              unless their line was seen (.io_virtualisation, .interrupt_remapping, .vtd,
//                              .amd_vi, .vmx, .svm, .vmx_disabled_by_bios, .hap)
//   xen.assignable             BDFs from `xl pci-assignable-list`
//   xen.toolstack ("xl"), xen.xend_present, xen.xend_files
//   xen.installed_version      newest installed xen-hypervisor-* in /var/lib/dpkg/status ("4.17.3"), null if none
//                              (or no dpkg); xen.installed_packages [{name, version}]
#include "xen_collectors.hpp"

namespace ptdoctor::hostplug {

class XenPlugin final : public Plugin {
 public:
  PluginInfo info() const override {
    return {"xen",
            "1.0.0",
            "xen",
            "Xen hypervisor: running, version, IOMMU and HVM support (xl info / xl dmesg), assignable devices",
            {},  // provides: declared once in plugins/xen/facts.yaml, filled in by the core
            {}};
  }

  void collect(const CollectContext& context, FactWriter& out) override {
    std::optional<bool> running = collect_running(context, out);
    collect_installation(context, out);
    std::optional<std::string> why_not;
    if (!running) {
      why_not = "cannot tell whether Xen is running (no /sys/hypervisor and no xl captures in this root)";
    } else if (!*running) {
      why_not = "Xen is not running";
    }
    std::optional<XlDmesg> dmesg = collect_xl(context, why_not, out);
    collect_intremap_errata(context, dmesg, out);
  }
};

}  // namespace ptdoctor::hostplug

PTDOCTOR_PLUGIN(ptdoctor::hostplug::XenPlugin)
