#pragma once
// The kernel plugin's collectors, one per concern. Each reads through the host view and writes facts under
// "kernel."; none judges what it finds.
#include <map>
#include <optional>
#include <string>

#include "cmdline.hpp"
#include "ptdoctor/plugin_api.hpp"
#include "read_failure.hpp"

namespace ptdoctor::hostplug {

// kernel.release, kernel.version; returns the release when known.
std::optional<std::string> collect_release(const CollectContext& context, FactWriter& out);
// The options of the kernel configuration that this plugin's own collectors read (name -> value; absent: unset).
// The whole configuration goes into kernel.config as it was parsed; only these are copied out for the collectors.
using KernelConfig = std::map<std::string, std::string>;
inline constexpr const char* kConfigOptionsReadHere[] = {"CONFIG_XEN_PCIDEV_BACKEND"};

// kernel.config, kernel.config_source, kernel.config_complete; returns kConfigOptionsReadHere's options when any
// option could be read.
std::optional<KernelConfig> collect_config(const CollectContext& context, const std::optional<std::string>& release, FactWriter& out);
// kernel.grub_xen_entry, kernel.grub_xen_entry_config: /boot/config-<release> makes 20_linux_xen list this kernel.
void collect_grub_xen_entry(const CollectContext& context, const std::optional<std::string>& release,
                            FactWriter& out);
// kernel.cmdline.*, kernel.acs_override; returns the parsed line when it could be read.
std::optional<Cmdline> collect_cmdline(const CollectContext& context, FactWriter& out);
// kernel.modprobe.*, kernel.modules_file, kernel.modules_load_d, kernel.initramfs_modules, kernel.pciback.*,
// kernel.unsafe_interrupts.
void collect_modules(const CollectContext& context, const std::optional<std::string>& release,
                     const std::optional<KernelConfig>& config, const std::optional<Cmdline>& cmdline,
                     FactWriter& out);
// kernel.xen_dom0, kernel.xen_guest_type, kernel.iommu.*.
void collect_platform(const CollectContext& context, FactWriter& out);
// kernel.grub.*.
void collect_grub(const CollectContext& context, FactWriter& out);

}  // namespace ptdoctor::hostplug
