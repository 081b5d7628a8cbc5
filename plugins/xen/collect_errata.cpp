// Whether Xen's Tylersburg quirk applies here: on Intel X58 / 5500 / 5520 I/O hubs Xen switches its IOMMU off
// unless interrupt remapping is off (`iommu=no-intremap`). The facts mirror Xen's own test so the rules can give
// the chipset's answer instead of "enable VT-d".
//
// xen-project/xen:xen/drivers/passthrough/vtd/quirks.c tylersburg_intremap_quirk(): for every bus, device 0
// function 0 of segment 0; 8086:3405 (X58) at any revision, 8086:3403 / 8086:3406 (5500 / 5520) below revision
// 0x22 (stepping C-2); it runs only "if ( iommu_intremap != iommu_intremap_off )" (platform_quirks_init). Commit
// 517a90d1ca "VT-d: Tylersburg errata apply to further steppings" (4.16, backported to 4.15).
#include <cstdio>
#include <cstdlib>

#include "text_util.hpp"
#include "xen_collectors.hpp"

namespace ptdoctor::hostplug {
namespace {

constexpr const char* kDevices = "/sys/bus/pci/devices";

struct Hub {
  std::string bdf;
  unsigned device = 0;
  unsigned revision = 0;
};

std::optional<unsigned> sysfs_hex(const HostView& host, const std::string& path) {
  auto text = host.read_file(path, 64);
  if (!text) return std::nullopt;
  std::string value(trim(*text));
  if (value.empty()) return std::nullopt;
  char* end = nullptr;
  unsigned long number = std::strtoul(value.c_str(), &end, 16);
  if (*end != '\0') return std::nullopt;
  return static_cast<unsigned>(number);
}

bool affected(const Hub& hub) {
  if (hub.device == 0x3405) return true;  // X58: every stepping
  return (hub.device == 0x3403 || hub.device == 0x3406) && hub.revision < 0x22;
}

std::string describe(const Hub& hub) {
  const char* name = hub.device == 0x3405 ? "X58" : hub.device == 0x3403 ? "5500" : "5520";
  char ids[48];
  std::snprintf(ids, sizeof ids, "8086:%04x rev 0x%02x", hub.device, hub.revision);
  return std::string("Intel ") + name + " I/O hub (" + ids + " at " + hub.bdf + ")";
}

// nullopt: the PCI tree cannot be read; an empty Hub bdf: read, and no affected hub.
std::optional<Hub> find_affected_hub(const HostView& host) {
  auto names = host.list_dir(kDevices);
  if (!names) return std::nullopt;
  for (const std::string& name : *names) {
    // "0000:BB:00.0": segment 0, any bus, device 0 function 0.
    if (name.size() != 12 || name.compare(0, 5, "0000:") != 0 || name.compare(7, 5, ":00.0") != 0) continue;
    const std::string dir = std::string(kDevices) + "/" + name;
    if (sysfs_hex(host, dir + "/vendor") != 0x8086u) continue;
    auto device = sysfs_hex(host, dir + "/device");
    auto revision = sysfs_hex(host, dir + "/revision");
    if (!device || !revision) continue;
    Hub hub{name, *device, *revision};
    if (affected(hub)) return hub;
  }
  return Hub{};
}

}  // namespace

void collect_intremap_errata(const CollectContext& context, const std::optional<XlDmesg>& dmesg, FactWriter& out) {
  if (dmesg && dmesg->iommu_errata_line) {
    out.set("intremap_errata", true, "xl dmesg");
    out.set("intremap_errata_evidence", "xl dmesg: \"" + *dmesg->iommu_errata_line + "\"", "xl dmesg");
    return;
  }
  std::optional<Hub> hub = find_affected_hub(context.host);
  if (!hub) {
    const std::string reason = std::string(kDevices) + " is unreadable and xl dmesg has no errata line";
    out.unknown("intremap_errata", reason);
    out.unknown("intremap_errata_evidence", reason);
    return;
  }
  out.set("intremap_errata", !hub->bdf.empty(), kDevices);
  out.set("intremap_errata_evidence",
          hub->bdf.empty() ? std::string("no Intel X58/5500/5520 I/O hub with the interrupt-remapping errata")
                           : describe(*hub),
          kDevices);
}

}  // namespace ptdoctor::hostplug
