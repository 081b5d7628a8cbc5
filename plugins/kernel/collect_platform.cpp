// kernel.xen_dom0 (is this Linux a PV dom0?) and kernel.iommu.* (does Linux itself drive an IOMMU?).
#include "collectors.hpp"
#include "text_util.hpp"

namespace ptdoctor::hostplug {

void collect_platform(const CollectContext& context, FactWriter& out) {
  const HostView& host = context.host;
  auto type = host.read_file("/sys/hypervisor/type");
  auto guest_type = host.read_file("/sys/hypervisor/guest_type");
  auto capabilities = host.read_file("/proc/xen/capabilities");
  bool under_xen = (type && trim(*type) == "xen") || capabilities.ok();
  if (guest_type) out.set("xen_guest_type", std::string(trim(*guest_type)), "/sys/hypervisor/guest_type");
  if (!under_xen) {
    out.set("xen_dom0", false, "/sys/hypervisor/type, /proc/xen/capabilities (absent: not running on Xen)");
    if (!guest_type) out.unknown("xen_guest_type", "not running on Xen");
  } else if (!capabilities) {
    // xenfs is not mounted (or not built): /proc/xen/capabilities is the only place that says control_d.
    out.unknown("xen_dom0", read_failure("/proc/xen/capabilities", capabilities.error()) +
                                "; mount xenfs (mount -t xenfs xenfs /proc/xen) and run again");
  } else {
    bool control = capabilities->find("control_d") != std::string::npos;
    // Passthrough needs a PV dom0: a PVH dom0 cannot pass PCI devices to guests (Xen SUPPORT.md).
    bool pv = !guest_type || trim(*guest_type) == "PV";
    out.set("xen_dom0", control && pv,
            std::string("/proc/xen/capabilities") + (guest_type ? ", /sys/hypervisor/guest_type" : ""));
    if (!guest_type) out.unknown("xen_guest_type", "/sys/hypervisor/guest_type not present (kernel older than 4.15?)");
  }

  // Linux has IOMMU groups only when it drives the IOMMU itself: never in a Xen dom0, where Xen owns it.
  auto groups = host.list_dir("/sys/kernel/iommu_groups");
  if (groups) {
    out.set("iommu.groups_present", !groups->empty(), "/sys/kernel/iommu_groups");
    out.set("iommu.group_count", groups->size(), "/sys/kernel/iommu_groups");
  } else if (groups.error().kind == ErrorKind::kNotFound && host.exists("/sys/kernel")) {
    out.set("iommu.groups_present", false, "/sys/kernel/iommu_groups (absent)");
    out.set("iommu.group_count", 0, "/sys/kernel/iommu_groups (absent)");
  } else {
    out.unknown("iommu.groups_present", read_failure("/sys/kernel/iommu_groups", groups.error()));
    out.unknown("iommu.group_count", read_failure("/sys/kernel/iommu_groups", groups.error()));
  }
}

}  // namespace ptdoctor::hostplug
