#include "cpu_assessment.hpp"

namespace ptdoctor::cpu {
namespace {

constexpr const char* kCpuinfo = "/proc/cpuinfo";

FactValue known(Json value, std::string source) { return FactValue{std::move(value), std::move(source), ""}; }
FactValue unknown(std::string reason) { return FactValue{nullptr, "", std::move(reason)}; }

// A boolean with where it came from, or why it is unknown.
struct Flag {
  std::optional<bool> value;
  std::string source;
  std::string reason;
};

FactValue to_fact(const Flag& flag) { return flag.value ? known(*flag.value, flag.source) : unknown(flag.reason); }

std::optional<bool> cpuinfo_flag(const CpuInputs& in, const std::string& name) {
  if (!in.cpuinfo || !in.cpuinfo->flags) return std::nullopt;
  return in.cpuinfo->flags->count(name) > 0;
}

std::string cpuinfo_reason(const CpuInputs& in) {
  if (!in.cpuinfo) return in.cpuinfo_unknown_reason;
  return std::string(kCpuinfo) + " has no 'flags' line in its first processor block";
}

// CPUID first (what the silicon or hypervisor says), /proc/cpuinfo when there is no CPUID.
Flag cpu_flag(const CpuInputs& in, const std::optional<bool> CpuidFacts::*field, const std::string& key,
              const std::string& cpuid_what) {
  if (in.cpuid && (*in.cpuid).*field) {
    return {(*in.cpuid).*field, in.cpuid_source + " " + cpuid_what, ""};
  }
  if (auto flag = cpuinfo_flag(in, key)) return {flag, std::string(kCpuinfo) + " flags", ""};
  std::string reason = in.cpuid ? in.cpuid->missing.count(key) ? in.cpuid->missing.at(key) : "not decoded"
                                : in.cpuid_unknown_reason;
  return {std::nullopt, "", reason + "; " + cpuinfo_reason(in)};
}

struct Hypervisor {
  Flag present;
  std::optional<std::string> vendor;
  std::optional<std::string> name;
  std::string source;
  std::string reason;
};

Hypervisor find_hypervisor(const CpuInputs& in) {
  Hypervisor hv;
  hv.present = cpu_flag(in, &CpuidFacts::hypervisor, "hypervisor", "leaf 0x1 ECX bit 31");
  if (in.cpuid && in.cpuid->hypervisor_vendor) {
    hv.vendor = in.cpuid->hypervisor_vendor;
    hv.name = in.cpuid->hypervisor_name;
    hv.source = in.cpuid_source + " leaf 0x40000000";
    return hv;
  }
  // A PV dom0 on CPUs without CPUID faulting sees the bare CPUID from user space, but its kernel knows Xen.
  if (in.sys_hypervisor && *in.sys_hypervisor == "xen") {
    hv.present = {true, "/sys/hypervisor/type", ""};
    hv.vendor = "XenVMMXenVMM";
    hv.name = "Xen";
    hv.source = "/sys/hypervisor/type";
    return hv;
  }
  if (in.cpuid && in.cpuid->missing.count("hypervisor_vendor")) {
    hv.reason = in.cpuid->missing.at("hypervisor_vendor");
  } else if (!hv.present.value) {
    hv.reason = hv.present.reason;
  } else {
    hv.reason = in.cpuid_unknown_reason + " (the hypervisor's name is only in CPUID leaf 0x40000000)";
  }
  return hv;
}

std::string technology_of(const CpuInputs& in, const std::optional<bool>& vmx, const std::optional<bool>& svm) {
  std::string vendor;
  if (in.cpuid && in.cpuid->vendor) vendor = *in.cpuid->vendor;
  else if (in.cpuinfo && in.cpuinfo->vendor_id) vendor = *in.cpuinfo->vendor_id;
  if (is_intel_like(vendor) || vmx == true) return "VT-x";
  if (is_amd_like(vendor) || svm == true) return "AMD-V";
  return "";
}

// Whether the firmware switched the visible technology off, from the MSR when read, else from what Linux did.
Flag firmware_disabled(const CpuInputs& in, const std::string& technology, const Flag& supported, bool under_hypervisor,
                       std::string& evidence) {
  if (supported.value != true) {
    return {std::nullopt, "", "not applicable: VT-x/AMD-V is not visible (" +
                                  (supported.value ? std::string("see cpu.virt.problem") : supported.reason) + ")"};
  }
  char raw[32];
  if (technology == "VT-x") {
    if (in.feature_control) {
      const FeatureControl& fc = *in.feature_control;
      std::snprintf(raw, sizeof raw, "0x%llx", static_cast<unsigned long long>(fc.raw));
      evidence = std::string("IA32_FEATURE_CONTROL (MSR 0x3a) = ") + raw +
                 (fc.firmware_disabled() ? ": locked with VMX outside SMX off"
                                         : fc.locked ? ": locked with VMX outside SMX on" : ": not locked");
      return {fc.firmware_disabled(), "MSR 0x3a via /dev/cpu/0/msr", ""};
    }
    if (in.cpuinfo && in.cpuinfo->vmx_flags_line) {
      evidence = "/proc/cpuinfo has a 'vmx flags' line, which Linux prints only when VMX is enabled";
      return {false, std::string(kCpuinfo) + " 'vmx flags' line", ""};
    }
    if (in.cpuid && in.cpuid->vmx == true && cpuinfo_flag(in, "vmx") == false && !under_hypervisor) {
      evidence = "CPUID reports VMX but Linux removed the vmx flag from /proc/cpuinfo, which Linux 5.6+ does "
                 "when IA32_FEATURE_CONTROL is locked with VMX off";
      return {true, in.cpuid_source + " and " + kCpuinfo, ""};
    }
    return {std::nullopt, "", in.msr_unknown_reason};
  }
  if (technology == "AMD-V") {
    if (in.vm_cr) {
      std::snprintf(raw, sizeof raw, "0x%llx", static_cast<unsigned long long>(in.vm_cr->raw));
      evidence = std::string("VM_CR (MSR 0xc0010114) = ") + raw +
                 (in.vm_cr->svm_disabled ? ": SVMDIS set" : ": SVMDIS clear");
      return {in.vm_cr->svm_disabled, "MSR 0xc0010114 via /dev/cpu/0/msr", ""};
    }
    return {std::nullopt, "", in.msr_unknown_reason};
  }
  return {std::nullopt, "", "the CPU vendor is not known, so neither MSR applies"};
}

std::string yes_no(bool value) { return value ? "reports" : "does not report"; }

// What CPUID and /proc/cpuinfo disagree about: `unexpected` says something about the machine or the capture;
// `expected` is what Xen does to its dom0 on purpose, said but not counted as a disagreement.
struct Differences {
  std::vector<std::string> unexpected;
  std::vector<std::string> expected;
};

void compare_flag(const CpuInputs& in, const std::optional<bool>& from_cpuid, const std::string& flag,
                  const std::string& what, bool xen, bool firmware_off, Differences& out) {
  auto from_cpuinfo = cpuinfo_flag(in, flag);
  if (!from_cpuid || !from_cpuinfo || *from_cpuid == *from_cpuinfo) return;
  std::string sentence = "CPUID " + yes_no(*from_cpuid) + " " + what + " but /proc/cpuinfo " +
                         (*from_cpuinfo ? "lists" : "does not list") + " the " + flag + " flag";
  if (*from_cpuid && xen && flag != "hypervisor") {
    out.expected.push_back(sentence + ": expected under Xen, which hides " + what + " from its dom0 on purpose; "
                           "`xl info` (virt_caps) shows whether Xen itself uses it.");
    return;
  }
  if (!*from_cpuid && xen) {
    out.expected.push_back(sentence + ": expected in a Xen PV dom0 on a CPU without CPUID faulting, where CPUID run "
                           "from user space reaches the bare CPU.");
    return;
  }
  if (*from_cpuid && flag == "vmx" && firmware_off) {
    sentence += ": Linux 5.6+ removes it when the firmware disabled VT-x";
  } else if (*from_cpuid) {
    sentence += ": the kernel hid it (firmware setting, a clearcpuid= boot option, or a hypervisor)";
  } else {
    sentence += ": was the CPUID capture taken on this machine, outside any VM?";
  }
  out.unexpected.push_back(sentence + ".");
}

Differences differences(const CpuInputs& in, bool xen, bool firmware_off) {
  Differences out;
  const CpuidFacts& id = *in.cpuid;
  const CpuinfoFacts& info = *in.cpuinfo;
  if (id.vendor && info.vendor_id && *id.vendor != *info.vendor_id) {
    out.unexpected.push_back("CPUID names the vendor \"" + *id.vendor + "\" but /proc/cpuinfo says \"" + *info.vendor_id +
                  "\": the CPUID capture seems to come from another machine.");
  }
  auto differs = [](const std::optional<int>& a, const std::optional<int>& b) { return a && b && *a != *b; };
  if (differs(id.family, info.family) || differs(id.model, info.model) || differs(id.stepping, info.stepping)) {
    auto show = [](const std::optional<int>& f, const std::optional<int>& m, const std::optional<int>& s) {
      auto v = [](const std::optional<int>& x) { return x ? std::to_string(*x) : std::string("?"); };
      return "family " + v(f) + " model " + v(m) + " stepping " + v(s);
    };
    out.unexpected.push_back("CPUID gives " + show(id.family, id.model, id.stepping) + " but /proc/cpuinfo " +
                  show(info.family, info.model, info.stepping) + ": the CPUID capture seems to come from another CPU.");
  }
  compare_flag(in, id.vmx, "vmx", "VMX (VT-x)", xen, firmware_off, out);
  compare_flag(in, id.svm, "svm", "SVM (AMD-V)", xen, firmware_off, out);
  compare_flag(in, id.hypervisor, "hypervisor", "a hypervisor", xen, firmware_off, out);
  return out;
}

}  // namespace

bool is_intel_like(const std::string& vendor) {
  return vendor == "GenuineIntel" || vendor == "CentaurHauls" || vendor == "  Shanghai  ";
}
bool is_amd_like(const std::string& vendor) { return vendor == "AuthenticAMD" || vendor == "HygonGenuine"; }

FactMap assess_cpu(const CpuInputs& in) {
  FactMap facts;
  auto field = [&](const std::string& name, const auto& member, const std::string& what,
                   const auto& fallback, const std::string& fallback_source) {
    if (in.cpuid && member(*in.cpuid)) {
      facts[name] = known(*member(*in.cpuid), in.cpuid_source + " " + what);
    } else if (fallback) {
      facts[name] = known(*fallback, std::string(kCpuinfo) + " " + fallback_source);
    } else {
      std::string reason = !in.cpuid ? in.cpuid_unknown_reason
                           : in.cpuid->missing.count(name) ? in.cpuid->missing.at(name) : "not decoded";
      facts[name] = unknown(reason + "; " + (in.cpuinfo ? std::string(kCpuinfo) + " has no such field"
                                                        : in.cpuinfo_unknown_reason));
    }
  };
  const CpuinfoFacts& info = in.cpuinfo ? *in.cpuinfo : CpuinfoFacts{};
  field("vendor", [](const CpuidFacts& f) { return f.vendor; }, "leaf 0x0", info.vendor_id, "vendor_id");
  field("family", [](const CpuidFacts& f) { return f.family; }, "leaf 0x1 EAX", info.family, "cpu family");
  field("model", [](const CpuidFacts& f) { return f.model; }, "leaf 0x1 EAX", info.model, "model");
  field("stepping", [](const CpuidFacts& f) { return f.stepping; }, "leaf 0x1 EAX", info.stepping, "stepping");
  field("brand", [](const CpuidFacts& f) { return f.brand; }, "leaves 0x80000002-4", info.model_name, "model name");

  Flag vmx = cpu_flag(in, &CpuidFacts::vmx, "vmx", "leaf 0x1 ECX bit 5");
  Flag svm = cpu_flag(in, &CpuidFacts::svm, "svm", "leaf 0x80000001 ECX bit 2");
  facts["vmx"] = to_fact(vmx);
  facts["svm"] = to_fact(svm);

  Hypervisor hv = find_hypervisor(in);
  facts["hypervisor.present"] = to_fact(hv.present);
  if (hv.vendor) {
    facts["hypervisor.vendor"] = known(*hv.vendor, hv.source);
    facts["hypervisor.name"] = known(*hv.name, hv.source);
  } else if (hv.present.value == false) {
    // Known, not unknown: rules compare the name with "Xen" and must not turn "unknown" on bare metal.
    facts["hypervisor.vendor"] = known("", hv.present.source);
    facts["hypervisor.name"] = known("none", hv.present.source);
  } else {
    facts["hypervisor.vendor"] = unknown(hv.reason);
    facts["hypervisor.name"] = unknown(hv.reason);
  }
  if (in.cpuid && !in.cpuid->hypervisor_signatures.empty()) {
    facts["hypervisor.signatures"] = known(in.cpuid->hypervisor_signatures, in.cpuid_source + " leaves 0x400000xx");
  }

  for (const char* flag : {"vmx", "svm", "hypervisor"}) {
    auto value = cpuinfo_flag(in, flag);
    facts[std::string("cpuinfo.flags.") + flag] =
        value ? known(*value, std::string(kCpuinfo) + " flags") : unknown(cpuinfo_reason(in));
  }
  if (in.cpuinfo) facts["cpuinfo.vmx_flags_line"] = known(in.cpuinfo->vmx_flags_line, kCpuinfo);
  else facts["cpuinfo.vmx_flags_line"] = unknown(in.cpuinfo_unknown_reason);

  // Under Xen by the CPUID leaf, or by the kernel: a PV dom0 under QEMU's TCG runs the raw CPUID instruction past
  // Xen and reads the outer hypervisor's leaf ("TCGTCGTCGTCG" in the Xen lab), while Linux knows it runs on Xen.
  const bool xen = hv.name == "Xen" || (in.sys_hypervisor && *in.sys_hypervisor == "xen");
  const bool under_hypervisor = hv.present.value == true;
  const std::string technology = technology_of(in, vmx.value, svm.value);
  facts["virt.technology"] =
      technology.empty() ? unknown("neither the CPU vendor nor its flags say whether it would be VT-x or AMD-V")
                         : known(technology, "CPU vendor and flags");

  Flag supported;
  if (vmx.value == true || svm.value == true) {
    supported = {true, vmx.value == true ? vmx.source : svm.source, ""};
  } else if (xen && vmx.value && svm.value) {
    supported = {std::nullopt, "", "Xen hides VT-x/AMD-V from its dom0 on purpose: the xen rules judge them from "
                                   "`xl info` (virt_caps)"};
  } else if (vmx.value == false && svm.value == false) {
    supported = {false, vmx.source, ""};
  } else {
    supported = {std::nullopt, "", vmx.value ? svm.reason : vmx.reason};
  }
  facts["virt.supported"] = to_fact(supported);

  if (supported.value == false) {
    std::string problem;
    if (under_hypervisor && hv.name) {
      problem = *hv.name + " does not expose VT-x or AMD-V to this guest (nested virtualisation is off)";
    } else if (under_hypervisor) {
      problem = "the hypervisor below this system does not expose VT-x or AMD-V to it";
    } else if (in.cpuid) {
      std::string brand = in.cpuid->brand ? *in.cpuid->brand : "this CPU";
      problem = brand + " reports neither VMX (VT-x) nor SVM (AMD-V) in CPUID: the CPU lacks hardware "
                        "virtualisation";
    } else {
      problem = "/proc/cpuinfo lists neither vmx nor svm: the CPU lacks VT-x/AMD-V, or the firmware disabled "
                "VT-x (Linux 5.6+ then hides the flag); a CPUID capture (`cpuid -r`) tells which";
    }
    facts["virt.problem"] = known(problem, supported.source);
  } else {
    facts["virt.problem"] = unknown(supported.value ? "no problem: VT-x/AMD-V is visible" : supported.reason);
  }

  std::string evidence;
  Flag disabled = firmware_disabled(in, technology, supported, under_hypervisor, evidence);
  facts["virt.firmware_disabled"] = to_fact(disabled);
  facts["virt.firmware_evidence"] = evidence.empty() ? unknown(disabled.reason) : known(evidence, disabled.source);

  if (in.cpuid && in.cpuinfo) {
    Differences found = differences(in, xen, disabled.value == true);
    facts["disagreements"] = known(found.unexpected, in.cpuid_source + " vs " + kCpuinfo);
    facts["expected_differences"] = known(found.expected, in.cpuid_source + " vs " + kCpuinfo);
  } else {
    const std::string why =
        "nothing to compare: " + (in.cpuid ? in.cpuinfo_unknown_reason : in.cpuid_unknown_reason);
    facts["disagreements"] = unknown(why);
    facts["expected_differences"] = unknown(why);
  }
  return facts;
}

}  // namespace ptdoctor::cpu
