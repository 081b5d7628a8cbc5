#pragma once
// The dom0 kernel options passthrough needs (REFERENCE.md §2, drivers/xen/Kconfig, arch/x86/xen/Kconfig), each
// with the kernel versions that know it, so a fragment never names an option the running kernel lacks (merge_config.sh
// would warn and drop it). Hidden def_bool symbols (XEN_PVHVM, PCI_XEN, SWIOTLB_XEN) are left out: they follow
// from the others and cannot be set in a fragment.
#include <string>
#include <utility>
#include <vector>

#include "ptdoctor/json.hpp"

namespace ptdoctor::fix {

struct KconfigOption {
  const char* name;   // CONFIG_XEN_DOM0
  const char* value;  // what the fragment sets
  const char* since;  // first kernel version with this symbol
  const char* until;  // first version without it ("" while present)
  const char* why;
};

const std::vector<KconfigOption>& passthrough_kconfig_options();

// Options of the table this kernel knows but has off or missing, as (name, value) for the fragment.
// kernel_version: "6.1.0"; config: the kernel.config fact (map CONFIG_X -> "y"|"m"|"n"|value).
std::vector<std::pair<std::string, std::string>> missing_kconfig_options(const std::string& kernel_version,
                                                                         const Json& config);

// Numeric comparison of dotted versions ("4.10" > "4.9"); non-numeric parts compare as 0.
int compare_versions(const std::string& a, const std::string& b);

}  // namespace ptdoctor::fix
