// The cpu plugin: identifies the CPU and the hypervisor under it, and whether VT-x/AMD-V is visible and enabled.
// Sources, best first: a `cpuid -r` capture (<root>/.ptdoctor/capture/cpuid.txt; on the live host without one,
// the CPUID instruction), /proc/cpuinfo, the MSRs behind /dev/cpu/0/msr, /sys/hypervisor/type.
//
// Facts (public names; rules/cpu.yaml judges them):
//   cpu.source                   "cpuid capture <path>" | "cpuid instruction"; unknown without CPUID
//   cpu.vendor, .brand           leaf 0 vendor string, brand string (fallback: /proc/cpuinfo vendor_id, model name)
//   cpu.family, .model, .stepping  display values with the extended fields applied (ints)
//   cpu.vmx, cpu.svm             CPUID.1:ECX[5], CPUID.80000001h:ECX[2] (fallback: /proc/cpuinfo flags)
//   cpu.hypervisor.present       CPUID.1:ECX[31] (fallback: cpuinfo "hypervisor"; /sys/hypervisor/type = xen)
//   cpu.hypervisor.vendor, .name signature and friendly name ("KVMKVMKVM"/"KVM"); "" and "none" on bare metal
//   cpu.hypervisor.signatures    every signature of the 0x400000xx ranges (Xen/KVM behind Hyper-V ones)
//   cpu.cpuinfo.flags.{vmx,svm,hypervisor}, cpu.cpuinfo.vmx_flags_line   what the kernel shows
//   cpu.msr.feature_control.{raw,locked,vmx_inside_smx,vmx_outside_smx}  Intel MSR 0x3a
//   cpu.msr.vm_cr.{raw,svm_lock,svm_disabled}                            AMD MSR 0xc0010114
//   cpu.virt.technology          "VT-x" | "AMD-V"
//   cpu.virt.supported           VT-x/AMD-V visible; unknown (not false) when Xen hides it from dom0
//   cpu.virt.problem             why not, as a phrase for messages (only when supported is false)
//   cpu.virt.firmware_disabled   from the MSR, else from what Linux shows (see cpu_assessment.cpp)
//   cpu.virt.firmware_evidence   the register value or kernel behaviour behind firmware_disabled
//   cpu.disagreements            one sentence per difference between CPUID and /proc/cpuinfo
#include <cstdio>

#include "cpu_assessment.hpp"
#include "cpuid_dump.hpp"
#include "cpuid_live.hpp"
#include "cpuinfo_parser.hpp"
#include "msr.hpp"
#include "ptdoctor/plugin_api.hpp"

namespace ptdoctor::cpu {
namespace {

constexpr const char* kCaptureName = "cpuid.txt";

std::string capture_path(const HostView& host) {
  std::string root = host.root();
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  return (root == "/" ? "" : root) + "/.ptdoctor/capture/" + kCaptureName;
}

void read_cpuid(const CollectContext& context, FactWriter& out, CpuInputs& in) {
  const HostView& host = context.host;
  auto text = host.capture(kCaptureName);
  if (text) {
    const std::string origin = capture_path(host);
    ParsedCapture parsed = parse_cpuid_capture(*text, origin);
    for (const auto& problem : parsed.problems) out.diagnostic(problem);
    if (parsed.dump.empty()) {
      in.cpuid_unknown_reason = origin + " holds no CPUID leaves";
      out.diagnostic(in.cpuid_unknown_reason + ": expected `cpuid -r` output; run `cpuid -r > " + origin +
                     "` on the machine");
      return;
    }
    in.cpuid_source = "cpuid capture " + origin;
    in.cpuid = decode_cpuid(parsed.dump, in.cpuid_source);
    return;
  }
  if (text.error().kind != ErrorKind::kNotCaptured) {
    in.cpuid_unknown_reason = text.error().message;
    out.diagnostic(text.error().message);
    return;
  }
  if (!host.live()) {
    in.cpuid_unknown_reason = "no CPUID capture: run `cpuid -r > " + capture_path(host) + "` on the machine";
    return;
  }
  auto dump = read_live_cpuid();
  if (!dump) {
    in.cpuid_unknown_reason = dump.error().message;
    return;
  }
  in.cpuid_source = "cpuid instruction";
  in.cpuid = decode_cpuid(*dump, in.cpuid_source);
}

void read_cpuinfo(const HostView& host, FactWriter& out, CpuInputs& in) {
  auto text = host.read_file("/proc/cpuinfo", 4u << 20);
  if (!text) {
    in.cpuinfo_unknown_reason = text.error().message;
    return;
  }
  CpuinfoFacts parsed = parse_cpuinfo(*text, "/proc/cpuinfo");
  for (const auto& problem : parsed.problems) out.diagnostic(problem);
  if (!parsed.flags && !parsed.vendor_id && !parsed.family) {
    in.cpuinfo_unknown_reason = "/proc/cpuinfo has no processor fields (vendor_id, cpu family, flags)";
    out.diagnostic(in.cpuinfo_unknown_reason + ": it does not look like a Linux /proc/cpuinfo");
    return;
  }
  in.cpuinfo = std::move(parsed);
}

std::string hex(std::uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

// Reads one MSR into msr.<name>.raw; on failure marks msr.<name> unknown and keeps the reason for the
// assessment ("not root", "msr module not loaded", ...).
std::optional<std::uint64_t> read_register(const HostView& host, FactWriter& out, std::uint32_t msr,
                                           const std::string& name, CpuInputs& in) {
  auto raw = read_msr(host, msr);
  if (!raw) {
    in.msr_unknown_reason = raw.error().message;
    out.unknown("msr." + name, in.msr_unknown_reason);
    return std::nullopt;
  }
  out.set("msr." + name + ".raw", hex(*raw), "MSR " + hex(msr) + " via " + kMsrDevice);
  return *raw;
}

// Only the vendor's own register: reading the other one faults (EIO) and proves nothing.
void read_msrs(const HostView& host, FactWriter& out, CpuInputs& in) {
  std::string vendor;
  if (in.cpuid && in.cpuid->vendor) vendor = *in.cpuid->vendor;
  else if (in.cpuinfo && in.cpuinfo->vendor_id) vendor = *in.cpuinfo->vendor_id;
  const bool intel = is_intel_like(vendor);
  const bool amd = is_amd_like(vendor);
  if (!intel) out.unknown("msr.feature_control", "not an Intel-compatible CPU (vendor \"" + vendor + "\")");
  if (!amd) out.unknown("msr.vm_cr", "not an AMD-compatible CPU (vendor \"" + vendor + "\")");
  if (intel) {
    if (auto raw = read_register(host, out, kMsrFeatureControl, "feature_control", in)) {
      in.feature_control = decode_feature_control(*raw);
      const std::string source = "MSR 0x3a bits 0-2";
      out.set("msr.feature_control.locked", in.feature_control->locked, source);
      out.set("msr.feature_control.vmx_inside_smx", in.feature_control->vmx_inside_smx, source);
      out.set("msr.feature_control.vmx_outside_smx", in.feature_control->vmx_outside_smx, source);
    }
  } else if (amd) {
    if (auto raw = read_register(host, out, kMsrVmCr, "vm_cr", in)) {
      in.vm_cr = decode_vm_cr(*raw);
      out.set("msr.vm_cr.svm_lock", in.vm_cr->svm_lock, "MSR 0xc0010114 bit 3");
      out.set("msr.vm_cr.svm_disabled", in.vm_cr->svm_disabled, "MSR 0xc0010114 bit 4");
    }
  } else {
    in.msr_unknown_reason = vendor.empty() ? "the CPU vendor is unknown, so no MSR was read"
                                           : "no virtualisation MSR is known for vendor \"" + vendor + "\"";
  }
}

void read_sys_hypervisor(const HostView& host, CpuInputs& in) {
  auto type = host.read_file("/sys/hypervisor/type", 64);
  if (!type) return;
  std::string value = *type;
  while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) value.pop_back();
  in.sys_hypervisor = value;
}

class CpuPlugin final : public Plugin {
 public:
  PluginInfo info() const override {
    return {"cpu",
            "1.0.0",
            "cpu",
            "CPU identity, the hypervisor underneath, and whether VT-x/AMD-V is visible and enabled in firmware",
            {},  // provides: declared once in plugins/cpu/facts.yaml, filled in by the core
            {}};
  }

  void collect(const CollectContext& context, FactWriter& out) override {
    CpuInputs in;
    read_cpuid(context, out, in);
    read_cpuinfo(context.host, out, in);
    read_msrs(context.host, out, in);
    read_sys_hypervisor(context.host, in);
    if (in.cpuid) out.set("source", in.cpuid_source, in.cpuid_source);
    else out.unknown("source", in.cpuid_unknown_reason);
    for (const auto& [path, fact] : assess_cpu(in)) {
      if (fact.unknown_reason.empty()) out.set(path, fact.value, fact.source);
      else out.unknown(path, fact.unknown_reason);
    }
  }
};

}  // namespace
}  // namespace ptdoctor::cpu

PTDOCTOR_PLUGIN(ptdoctor::cpu::CpuPlugin)
