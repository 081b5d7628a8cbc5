#pragma once
// What the CPUID leaves say about the CPU and about a hypervisor underneath (Intel SDM vol. 2A "CPUID";
// AMD APM vol. 3 "CPUID"; REFERENCE.md §7). Every field is optional: a leaf missing from a truncated capture
// leaves its fields empty, with the reason in `missing`.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cpuid_dump.hpp"

namespace ptdoctor::cpu {

struct CpuidFacts {
  std::optional<std::string> vendor;  // "GenuineIntel", "AuthenticAMD"
  std::optional<int> family;          // with the extended family added (family 0xF only)
  std::optional<int> model;           // with the extended model added (family 6 and 0xF)
  std::optional<int> stepping;
  std::optional<std::string> brand;   // leaves 0x80000002-4, spaces collapsed
  std::optional<bool> vmx;            // leaf 1 ECX bit 5
  std::optional<bool> svm;            // leaf 0x80000001 ECX bit 2
  std::optional<bool> hypervisor;     // leaf 1 ECX bit 31
  // Signatures of the hypervisor leaf ranges found (0x40000000, 0x40000100, ...), in order.
  std::vector<std::string> hypervisor_signatures;
  // The hypervisor actually running (see pick_hypervisor): its signature and friendly name.
  std::optional<std::string> hypervisor_vendor;
  std::optional<std::string> hypervisor_name;
  // Field name ("vendor", "brand", ...) -> why it could not be decoded.
  std::map<std::string, std::string> missing;
};

// Hypervisor leaf ranges start at 0x40000000 and repeat every 0x100 up to 0x40010000 (Linux
// hypervisor_cpuid_base() scans the same way): Xen moves its leaves to 0x40000100 when it also offers Hyper-V
// enlightenments at 0x40000000, and so does KVM.
inline constexpr std::uint32_t kHypervisorBase = 0x40000000;
inline constexpr std::uint32_t kHypervisorStep = 0x100;
inline constexpr std::uint32_t kHypervisorEnd = 0x40010000;

// `source` names where the dump came from for the reasons ("cpuid capture <root>/.ptdoctor/capture/cpuid.txt").
CpuidFacts decode_cpuid(const CpuidDump& dump, const std::string& source);

// The 12 signature bytes of a hypervisor leaf (EBX, ECX, EDX), with trailing NULs and spaces removed and other
// unprintable bytes shown as '?'. Empty when all bytes are NUL.
std::string hypervisor_signature(const CpuidRegisters& registers);
// Whether the leaf at a range base looks like a hypervisor's: a signature, and (past the first range) EAX naming
// a maximum leaf inside the range. KVM answers out-of-range leaves of Intel guests with the highest basic leaf,
// which carries bytes but no such EAX. Old KVM reports EAX 0 at the first base, so that one is not checked.
bool is_hypervisor_range(std::uint32_t base, const CpuidRegisters& registers);
// "KVMKVMKVM" -> "KVM", "XenVMMXenVMM" -> "Xen"; unknown signatures -> nullopt.
std::optional<std::string> hypervisor_friendly_name(const std::string& signature);

}  // namespace ptdoctor::cpu
