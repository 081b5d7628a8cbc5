#pragma once
// The model-specific registers that say whether the firmware switched hardware virtualisation off
// (Intel SDM vol. 4 "IA32_FEATURE_CONTROL"; AMD APM vol. 2 §15.30.1 "VM_CR"; REFERENCE.md §7), read through
// /dev/cpu/0/msr (Linux msr driver: root only, pread at the register number, 8 bytes little-endian).
#include <cstdint>
#include <string>

#include "ptdoctor/host_view.hpp"
#include "ptdoctor/result.hpp"

namespace ptdoctor::cpu {

inline constexpr std::uint32_t kMsrFeatureControl = 0x3a;
inline constexpr std::uint32_t kMsrVmCr = 0xc0010114;
inline constexpr const char* kMsrDevice = "/dev/cpu/0/msr";

struct FeatureControl {
  std::uint64_t raw = 0;
  bool locked = false;           // bit 0: no more writes until reset
  bool vmx_inside_smx = false;   // bit 1
  bool vmx_outside_smx = false;  // bit 2
  // Locked with VMX outside SMX off: nothing can turn VT-x on until the firmware setup does.
  // Unlocked, Linux (5.6+) and Xen set bit 2 and lock it themselves, so VT-x is usable.
  bool firmware_disabled() const { return locked && !vmx_outside_smx; }
};

struct VmCr {
  std::uint64_t raw = 0;
  bool svm_lock = false;      // bit 3
  bool svm_disabled = false;  // bit 4 SVMDIS: EFER.SVME cannot be set
};

FeatureControl decode_feature_control(std::uint64_t raw);
VmCr decode_vm_cr(std::uint64_t raw);

// The register's value, or an error whose message is a reason for an unknown fact, saying what to do:
// not root, msr module not loaded, not in this (offline) root, or the CPU does not implement it.
Result<std::uint64_t> read_msr(const HostView& host, std::uint32_t msr);

}  // namespace ptdoctor::cpu
