#pragma once
// The host files `ptdoctor fix` writes, named once: the planner writes them and rule texts name them with
// `{file:NAME}` (rules/message_template.hpp), so a printed fix names the file the plan really writes.
namespace ptdoctor {

inline constexpr const char* kGrubDefaults = "/etc/default/grub";
inline constexpr const char* kPcibackModprobe = "/etc/modprobe.d/ptdoctor-xen-pciback.conf";
inline constexpr const char* kModulesFile = "/etc/modules";
inline constexpr const char* kInitramfsModules = "/etc/initramfs-tools/modules";
inline constexpr const char* kKconfigFragment = "/etc/ptdoctor/xen-passthrough.config";

}  // namespace ptdoctor
