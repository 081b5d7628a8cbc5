#pragma once
// The Xen plugin's collectors. Each reads through the host view and writes facts under "xen."; none judges.
#include <optional>
#include <string>

#include "ptdoctor/plugin_api.hpp"
#include "xl_command.hpp"
#include "xl_dmesg.hpp"

namespace ptdoctor::hostplug {

// xen.running; returns it (nullopt when the root cannot say).
std::optional<bool> collect_running(const CollectContext& context, FactWriter& out);
// xen.toolstack, xen.xend_present, xen.xend_files, xen.installed_version, xen.installed_packages.
void collect_installation(const CollectContext& context, FactWriter& out);
// Everything `xl info`, `xl dmesg`, `xl pci-assignable-list` and /sys/hypervisor/version say, with the derived
// xen.iommu_enabled, xen.intremap_enabled and xen.hvm. `why_not` is the reason when Xen is not running. Returns
// the parsed xl dmesg when there is one.
std::optional<XlDmesg> collect_xl(const CollectContext& context, const std::optional<std::string>& why_not,
                                   FactWriter& out);
// xen.intremap_errata, xen.intremap_errata_evidence: Xen's Tylersburg quirk applies (PCI ids or the xl dmesg line).
void collect_intremap_errata(const CollectContext& context, const std::optional<XlDmesg>& dmesg, FactWriter& out);

}  // namespace ptdoctor::hostplug
