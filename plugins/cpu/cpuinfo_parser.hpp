#pragma once
// The first processor block of /proc/cpuinfo: what the kernel decided about the CPU, which can differ from raw
// CPUID (Linux 5.6+ drops `vmx` when the firmware disabled VT-x; Xen PV dom0 kernels never show vmx/svm).
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor::cpu {

struct CpuinfoFacts {
  std::optional<std::string> vendor_id;
  std::optional<std::string> model_name;
  std::optional<int> family;
  std::optional<int> model;
  std::optional<int> stepping;
  std::optional<std::set<std::string>> flags;
  // Linux 5.8+ prints "vmx flags" only after it read the VMX capability MSRs, which it does only when the
  // firmware left VMX enabled (arch/x86/kernel/cpu/feat_ctl.c): its presence proves VT-x is on.
  bool vmx_flags_line = false;
  // "<origin>: line N: ..." for every line of the first block that is not "name : value".
  std::vector<std::string> problems;
};

CpuinfoFacts parse_cpuinfo(std::string_view text, std::string_view origin);

}  // namespace ptdoctor::cpu
