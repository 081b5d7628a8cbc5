#pragma once
// The Xen plugin's collectors. Each reads through the host view and writes facts under "xen."; none judges.
#include <optional>
#include <string>

#include "ptdoctor/plugin_api.hpp"

namespace ptdoctor::hostplug {

// A command's output, or why it could not be had (the reason an unknown fact carries).
struct CommandText {
  std::optional<std::string> text;
  std::string reason;
};

CommandText xl_output(const HostView& host, const std::string& capture, const std::vector<std::string>& argv);

// xen.running; returns it (nullopt when the root cannot say).
std::optional<bool> collect_running(const CollectContext& context, FactWriter& out);
// xen.toolstack, xen.xend_present, xen.xend_files, xen.installed_version, xen.installed_packages.
void collect_installation(const CollectContext& context, FactWriter& out);
// Everything `xl info`, `xl dmesg`, `xl pci-assignable-list` and /sys/hypervisor/version say, with the derived
// xen.iommu_enabled, xen.intremap_enabled and xen.hvm. `why_not` is the reason when Xen is not running.
void collect_xl(const CollectContext& context, const std::optional<std::string>& why_not, FactWriter& out);

}  // namespace ptdoctor::hostplug
