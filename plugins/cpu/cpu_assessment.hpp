#pragma once
// Combines the CPU's sources (raw CPUID, /proc/cpuinfo, MSRs, /sys/hypervisor/type) into the facts rules read:
// who the hypervisor is, whether VT-x/AMD-V is visible, whether the firmware disabled it, and where the sources
// disagree. Pure: the plugin gathers the inputs and writes the result, so every combination is unit-testable.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cpuid_decode.hpp"
#include "cpuinfo_parser.hpp"
#include "msr.hpp"
#include "ptdoctor/json.hpp"

namespace ptdoctor::cpu {

struct CpuInputs {
  std::optional<CpuidFacts> cpuid;
  std::string cpuid_source;          // "cpuid capture <path>" or "cpuid instruction"
  std::string cpuid_unknown_reason;  // when cpuid is empty
  std::optional<CpuinfoFacts> cpuinfo;
  std::string cpuinfo_unknown_reason;
  std::optional<FeatureControl> feature_control;
  std::optional<VmCr> vm_cr;
  std::string msr_unknown_reason;             // why the relevant MSR was not read
  std::optional<std::string> sys_hypervisor;  // contents of /sys/hypervisor/type ("xen"), when present
};

// A fact to write: a value with its source, or the reason it is unknown.
struct FactValue {
  Json value;
  std::string source;
  std::string unknown_reason;  // non-empty: the fact is unknown
};
using FactMap = std::map<std::string, FactValue>;  // path relative to "cpu."

// Vendors whose CPUs have VT-x and IA32_FEATURE_CONTROL (Intel, VIA/Centaur, Zhaoxin), or AMD-V and VM_CR
// (AMD, Hygon).
bool is_intel_like(const std::string& vendor);
bool is_amd_like(const std::string& vendor);

// On bare metal hypervisor.name is "none" and hypervisor.vendor "" (known values, so rules can compare them).
// Facts: vendor, family, model, stepping, brand, vmx, svm, hypervisor.{present,vendor,name,signatures},
// cpuinfo.flags.{vmx,svm,hypervisor}, cpuinfo.vmx_flags_line, virt.{technology,supported,firmware_disabled,
// firmware_evidence,problem}, disagreements.
FactMap assess_cpu(const CpuInputs& inputs);

}  // namespace ptdoctor::cpu
