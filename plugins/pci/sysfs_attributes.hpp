#pragma once
// Per-device facts the kernel publishes beside config space, read through the HostView (never through libpci):
// driver and IOMMU group links, boot_vga, reset_method, BARs from `resource`, the IRQ from `irq`.
#include <string>

#include "ptdoctor/host_view.hpp"
#include "ptdoctor/json.hpp"
#include "resource_file.hpp"

namespace ptdoctor::pci {

// Last component of a link's target ("../../../bus/pci/drivers/pciback" -> "pciback"); null when no link.
Json link_basename(const HostView& host, const std::string& path);
// boot_vga: true/false; false when the file is absent (the kernel creates it only for VGA-class devices).
Json boot_vga(const HostView& host, const std::string& device_path);
// reset_method: list of methods ("flr", "bus"); null when the kernel has no such file (before 5.15).
Json reset_methods(const HostView& host, const std::string& device_path);
// The BARs and ROM from `resource` (resource_file.hpp); false with `problem` set when unreadable or malformed.
bool resources(const HostView& host, const std::string& device_path, Resources& out, std::string& problem);
// `irq` as a number (linux:drivers/pci/pci-sysfs.c irq_show: the first MSI vector's IRQ while MSI is enabled, else
// the legacy INTx IRQ, also with MSI-X); null with `problem` set when unreadable or not a number.
Json irq_number(const HostView& host, const std::string& device_path, std::string& problem);
// The upstream bridge: the parent directory of the device in /sys/devices when it is a PCI function.
Json parent_bridge(const std::string& device_path);

}  // namespace ptdoctor::pci
