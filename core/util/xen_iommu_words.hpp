#pragma once
// How Xen reads its own command line for the IOMMU on/off switch, shared by the xen plugin (the running line) and
// the planner (the line /etc/default/grub will give): words apply in order and the last one wins.
//
// xen-project/xen:xen/common/kernel.c parse_params(): a "no-" prefix on a custom parameter calls its handler with
// "no", so `no-iommu` is `iommu=no`. xen/drivers/passthrough/iommu.c parse_iommu_param(): each comma-separated
// item that is a boolean (0/no/off/false/disable, 1/yes/on/true/enable) sets iommu_enable; other items
// (no-intremap, verbose, required, dom0-strict, ...) do not touch it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor {

// What one command-line word does to Xen's IOMMU switch: turns it off, on, or leaves it alone.
enum class XenIommuSwitch { kUntouched, kOn, kOff };
XenIommuSwitch xen_iommu_switch(std::string_view word);

// The word that leaves the IOMMU switched off after all words are applied in order; nullopt when none does.
std::optional<std::string> xen_iommu_off_by(const std::vector<std::string>& words);

}  // namespace ptdoctor
