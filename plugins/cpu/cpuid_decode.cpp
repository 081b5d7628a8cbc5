#include "cpuid_decode.hpp"

#include <array>
#include <cctype>
#include <cstdio>
#include <string_view>

namespace ptdoctor::cpu {
namespace {

constexpr std::uint32_t kLeafVendor = 0x0;
constexpr std::uint32_t kLeafFeatures = 0x1;
constexpr std::uint32_t kLeafExtendedMax = 0x80000000;
constexpr std::uint32_t kLeafExtendedFeatures = 0x80000001;
constexpr std::uint32_t kLeafBrandFirst = 0x80000002;
constexpr std::uint32_t kLeafBrandLast = 0x80000004;
constexpr std::uint32_t kEcxVmx = 1u << 5;
constexpr std::uint32_t kEcxHypervisor = 1u << 31;
constexpr std::uint32_t kEcxSvm = 1u << 2;

std::string leaf_name(std::uint32_t leaf) {
  char name[16];
  std::snprintf(name, sizeof name, "0x%08x", leaf);
  return name;
}

void append_le(std::string& out, std::uint32_t value) {
  for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((value >> shift) & 0xff);
}

std::string printable(std::string bytes) {
  for (char& c : bytes) {
    if (!std::isprint(static_cast<unsigned char>(c))) c = '?';
  }
  return bytes;
}

// Brand strings are padded with NULs and, on older Intel parts, lead with spaces and align the model number
// ("Intel(R) Core(TM) i7 CPU         920  @ 2.67GHz"): collapse runs of spaces so the name reads as one line.
std::string clean_brand(const std::string& raw) {
  std::string out;
  for (char c : raw) {
    if (c == '\0') break;
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return printable(out);
}

struct KnownHypervisor {
  std::string_view signature;
  std::string_view name;
};

// Signatures as the hypervisors publish them (trailing NULs/spaces removed). Sources: Linux
// arch/x86/include/asm/{xen,kvm,hyperv,vmware}*, FreeBSD sys/x86/x86/identcpu.c (bhyve), QEMU target/i386/cpu.c.
constexpr std::array<KnownHypervisor, 14> kKnownHypervisors{{
    {"XenVMMXenVMM", "Xen"},
    {"KVMKVMKVM", "KVM"},
    {"Linux KVM Hv", "KVM"},  // KVM's own Hyper-V emulation
    {"Microsoft Hv", "Hyper-V"},
    {"VMwareVMware", "VMware"},
    {"bhyve bhyve", "bhyve"},
    {"TCGTCGTCGTCG", "QEMU TCG"},
    {"VBoxVBoxVBox", "VirtualBox"},
    {"ACRNACRNACRN", "ACRN"},
    {"prl hyperv", "Parallels"},
    {"lrpepyh  vr", "Parallels"},
    {"QNXQVMBSQG", "QNX Hypervisor"},
    {"OpenBSDVMM58", "OpenBSD vmm"},
    {"Jailhouse", "Jailhouse"},
}};

// Enlightenment signatures that other hypervisors also present at 0x40000000 to help Windows guests.
bool is_enlightenment_only(const std::string& signature) {
  return signature == "Microsoft Hv" || signature == "Linux KVM Hv";
}

}  // namespace

std::string hypervisor_signature(const CpuidRegisters& registers) {
  std::string raw;
  append_le(raw, registers.ebx);
  append_le(raw, registers.ecx);
  append_le(raw, registers.edx);
  // Parallels publishes " lrpepyh  vr" with a leading space: strip both ends.
  std::size_t first = raw.find_first_not_of(std::string_view("\0 ", 2));
  if (first == std::string::npos) return "";
  std::size_t last = raw.find_last_not_of(std::string_view("\0 ", 2));
  return printable(raw.substr(first, last - first + 1));
}

bool is_hypervisor_range(std::uint32_t base, const CpuidRegisters& registers) {
  if (hypervisor_signature(registers).empty()) return false;
  return base == kHypervisorBase || (registers.eax >= base && registers.eax < base + kHypervisorStep);
}

std::optional<std::string> hypervisor_friendly_name(const std::string& signature) {
  for (const auto& known : kKnownHypervisors) {
    if (known.signature == signature) return std::string(known.name);
  }
  return std::nullopt;
}

CpuidFacts decode_cpuid(const CpuidDump& dump, const std::string& source) {
  CpuidFacts facts;
  auto absent = [&](std::uint32_t leaf) { return "leaf " + leaf_name(leaf) + " is missing from " + source; };

  if (auto leaf0 = dump.get(kLeafVendor)) {
    std::string vendor;
    append_le(vendor, leaf0->ebx);
    append_le(vendor, leaf0->edx);  // the vendor string is EBX, EDX, ECX in that order
    append_le(vendor, leaf0->ecx);
    facts.vendor = printable(vendor);
  } else {
    facts.missing["vendor"] = absent(kLeafVendor);
  }

  if (auto leaf1 = dump.get(kLeafFeatures)) {
    const std::uint32_t eax = leaf1->eax;
    const int base_family = static_cast<int>((eax >> 8) & 0xf);
    const int base_model = static_cast<int>((eax >> 4) & 0xf);
    facts.stepping = static_cast<int>(eax & 0xf);
    facts.family = base_family == 0xf ? base_family + static_cast<int>((eax >> 20) & 0xff) : base_family;
    facts.model = (base_family == 0x6 || base_family == 0xf) ? base_model + (static_cast<int>((eax >> 16) & 0xf) << 4)
                                                             : base_model;
    facts.vmx = (leaf1->ecx & kEcxVmx) != 0;
    facts.hypervisor = (leaf1->ecx & kEcxHypervisor) != 0;
  } else {
    for (const char* field : {"family", "model", "stepping", "vmx", "hypervisor"}) {
      facts.missing[field] = absent(kLeafFeatures);
    }
  }

  auto extended_max = dump.get(kLeafExtendedMax);
  auto extended_present = [&](std::uint32_t leaf) -> std::optional<CpuidRegisters> {
    // A leaf beyond the advertised maximum returns stale data on Intel: trust only what the maximum covers.
    if (extended_max && extended_max->eax < leaf) return std::nullopt;
    return dump.get(leaf);
  };
  if (auto ext1 = extended_present(kLeafExtendedFeatures)) {
    facts.svm = (ext1->ecx & kEcxSvm) != 0;
  } else if (extended_max && extended_max->eax < kLeafExtendedFeatures) {
    facts.svm = false;  // no extended feature leaf at all: no SVM
  } else {
    facts.missing["svm"] = absent(kLeafExtendedFeatures);
  }

  std::string brand;
  bool brand_complete = true;
  for (std::uint32_t leaf = kLeafBrandFirst; leaf <= kLeafBrandLast; ++leaf) {
    auto registers = extended_present(leaf);
    if (!registers) {
      brand_complete = false;
      facts.missing["brand"] = extended_max && extended_max->eax < leaf
                                   ? "the CPU has no brand string (maximum extended leaf " +
                                         leaf_name(extended_max->eax) + ")"
                                   : absent(leaf);
      break;
    }
    append_le(brand, registers->eax);
    append_le(brand, registers->ebx);
    append_le(brand, registers->ecx);
    append_le(brand, registers->edx);
  }
  if (brand_complete) facts.brand = clean_brand(brand);

  if (!facts.hypervisor.has_value()) {
    facts.missing["hypervisor_vendor"] = absent(kLeafFeatures);
  } else if (*facts.hypervisor) {
    // Only trusted when the hypervisor bit is set: on bare metal these leaves echo the highest basic leaf.
    for (std::uint32_t base = kHypervisorBase; base < kHypervisorEnd; base += kHypervisorStep) {
      auto registers = dump.get(base);
      if (registers && is_hypervisor_range(base, *registers)) {
        facts.hypervisor_signatures.push_back(hypervisor_signature(*registers));
      }
    }
    if (facts.hypervisor_signatures.empty()) {
      facts.missing["hypervisor_vendor"] =
          dump.get(kHypervisorBase) ? "the hypervisor leaf " + leaf_name(kHypervisorBase) + " carries no signature"
                                    : absent(kHypervisorBase);
    } else {
      // Hyper-V enlightenments at the first base are often offered by Xen or KVM, whose own signature follows.
      std::string chosen = facts.hypervisor_signatures.front();
      for (const auto& signature : facts.hypervisor_signatures) {
        if (!is_enlightenment_only(signature) && hypervisor_friendly_name(signature)) {
          chosen = signature;
          break;
        }
      }
      facts.hypervisor_vendor = chosen;
      facts.hypervisor_name = hypervisor_friendly_name(chosen).value_or("an unrecognised hypervisor (\"" + chosen + "\")");
    }
  } else {
    facts.missing["hypervisor_vendor"] = "no hypervisor: CPUID leaf 0x00000001 ECX bit 31 is clear (" + source + ")";
  }
  return facts;
}

}  // namespace ptdoctor::cpu
