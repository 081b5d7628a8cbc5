// What the running hypervisor says about itself: `xl info`, `xl dmesg`, `xl pci-assignable-list` and
// /sys/hypervisor/version, and the facts derived from them (IOMMU, interrupt remapping, HVM).
#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "cmdline.hpp"
#include "read_failure.hpp"
#include "text_util.hpp"
#include "xen_collectors.hpp"
#include "xl_assignable.hpp"
#include "xl_dmesg.hpp"
#include "xl_info.hpp"
#include "xen_iommu_words.hpp"

namespace ptdoctor::hostplug {
namespace {

constexpr std::size_t kMaxShownProblems = 10;
constexpr const char* kXlInfo = "xl info";
constexpr const char* kXlDmesg = "xl dmesg";

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::optional<long long> to_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (*end != '\0') return std::nullopt;
  return value;
}

// "4" "17" ".5-pre" -> "4.17.5": the numeric part rules compare; the raw extra stays in xen.extra.
std::string numeric_version(const std::string& major, const std::string& minor, const std::string& extra) {
  std::string patch;
  std::size_t i = !extra.empty() && extra.front() == '.' ? 1 : 0;
  while (i < extra.size() && std::isdigit(static_cast<unsigned char>(extra[i]))) patch += extra[i++];
  return major + "." + minor + (patch.empty() ? "" : "." + patch);
}

void mark_unknown(FactWriter& out, std::initializer_list<const char*> paths, const std::string& reason) {
  for (const char* path : paths) out.unknown(path, reason);
}

void set_version(const std::string& major, const std::string& minor, const std::string& extra,
                 const std::string& source, FactWriter& out) {
  auto major_number = to_number(major);
  auto minor_number = to_number(minor);
  if (!major_number || !minor_number) {
    out.diagnostic(source + ": Xen version \"" + major + "." + minor + "\" is not numeric; version unknown");
    mark_unknown(out, {"version", "major", "minor", "extra", "major_minor"}, source + ": unreadable version");
    return;
  }
  out.set("major", *major_number, source);
  out.set("minor", *minor_number, source);
  out.set("extra", extra, source);
  out.set("major_minor", major + "." + minor, source);
  out.set("version", numeric_version(major, minor, extra), source);
}


// Version from sysfs when `xl info` is not available (the xen_sysfs driver: /sys/hypervisor/version/*).
bool sysfs_version(const HostView& host, FactWriter& out) {
  auto major = host.read_file("/sys/hypervisor/version/major");
  auto minor = host.read_file("/sys/hypervisor/version/minor");
  if (!major || !minor) return false;
  auto extra = host.read_file("/sys/hypervisor/version/extra");
  set_version(std::string(trim(*major)), std::string(trim(*minor)), extra ? std::string(trim(*extra)) : "",
              "/sys/hypervisor/version", out);
  return true;
}

struct InfoFacts {
  std::optional<std::vector<std::string>> virt_caps;
  std::optional<std::vector<std::string>> caps;
  std::optional<long long> minor;  // of a 4.x version: virt_caps lists hap only from 4.13
};

InfoFacts collect_info(const CollectContext& context, FactWriter& out) {
  InfoFacts facts;
  CommandText text = xl_output(context.host, "xl-info.txt", {"xl", "info"});
  if (!text.text) {
    if (!sysfs_version(context.host, out)) mark_unknown(out, {"version"}, text.reason);
    mark_unknown(out, {"caps", "virt_caps", "commandline", "commandline_params", "commandline_iommu",
                       "commandline_iommu_off_by", "total_memory_mb", "free_memory_mb", "nr_cpus"},
                 text.reason);
    return facts;
  }
  XlInfo info = parse_xl_info(*text.text);
  for (std::size_t i = 0; i < info.problems.size() && i < kMaxShownProblems; ++i) {
    out.diagnostic(std::string(kXlInfo) + " (xl-info.txt): line " + std::to_string(info.problems[i].line) + ": \"" +
                   info.problems[i].text + "\" is not \"key : value\"; line ignored");
  }
  auto field = [&](const char* key) -> const std::string* {
    auto found = info.fields.find(key);
    return found == info.fields.end() ? nullptr : &found->second;
  };
  const std::string* major = field("xen_major");
  const std::string* minor = field("xen_minor");
  if (major && minor) {
    set_version(*major, *minor, field("xen_extra") ? *field("xen_extra") : "", kXlInfo, out);
    if (to_number(*major) == 4) facts.minor = to_number(*minor);
  } else if (!sysfs_version(context.host, out)) {
    out.unknown("version", std::string(kXlInfo) + " has no xen_major/xen_minor");
  }
  if (const std::string* caps = field("xen_caps")) {
    facts.caps = split_words(*caps);
    out.set("caps", *facts.caps, kXlInfo);
  } else {
    out.unknown("caps", std::string(kXlInfo) + " has no xen_caps line");
  }
  if (const std::string* virt_caps = field("virt_caps")) {
    facts.virt_caps = split_words(*virt_caps);
    out.set("virt_caps", *facts.virt_caps, kXlInfo);
  } else {
    out.unknown("virt_caps", std::string(kXlInfo) + " has no virt_caps line");
  }
  if (const std::string* line = field("xen_commandline")) {
    Cmdline cmdline = parse_cmdline(*line, CmdlineOptions{false, false});
    Json params = Json::object();
    std::vector<std::string> iommu;
    for (const auto& [name, values] : cmdline.params) {
      params[name] = values;
      if (name != "iommu") continue;
      // iommu=<bool>|<list>: every comma-separated sub-option of every iommu= word, in order.
      for (const std::string& value : values) {
        std::size_t start = 0;
        while (start <= value.size()) {
          std::size_t comma = value.find(',', start);
          if (comma == std::string::npos) comma = value.size();
          if (comma > start) iommu.push_back(value.substr(start, comma - start));
          start = comma + 1;
        }
      }
    }
    out.set("commandline", *line, kXlInfo);
    out.set("commandline_params", std::move(params), kXlInfo);
    out.set("commandline_iommu", iommu, kXlInfo);
    std::optional<std::string> off_by = xen_iommu_off_by(split_words(*line));
    out.set("commandline_iommu_off_by", off_by ? Json(*off_by) : Json(), kXlInfo);
  } else {
    mark_unknown(out, {"commandline", "commandline_params", "commandline_iommu", "commandline_iommu_off_by"},
                 std::string(kXlInfo) + " has no xen_commandline line");
  }
  const std::pair<const char*, const char*> numbers[] = {
      {"total_memory", "total_memory_mb"}, {"free_memory", "free_memory_mb"}, {"nr_cpus", "nr_cpus"}};
  for (const auto& [key, fact] : numbers) {
    const std::string* value = field(key);
    auto number = value ? to_number(*value) : std::nullopt;
    if (number) {
      out.set(fact, *number, kXlInfo);
    } else {
      out.unknown(fact, std::string(kXlInfo) + (value ? ": " + std::string(key) + " is not a number" : " has no " + std::string(key)));
    }
  }
  return facts;
}

std::optional<XlDmesg> collect_dmesg(const CollectContext& context, FactWriter& out) {
  CommandText text = xl_output(context.host, "xl-dmesg.txt", {"xl", "dmesg"});
  if (!text.text) {
    out.unknown("dmesg", text.reason);
    return std::nullopt;
  }
  XlDmesg dmesg = parse_xl_dmesg(*text.text);
  const std::string truncated_reason = "xl dmesg is truncated (no \"Xen version\" line at the top: the console ring "
                                       "has wrapped), so a missing line proves nothing";
  out.set("dmesg.truncated", dmesg.truncated, kXlDmesg);
  const std::pair<const char*, bool> seen[] = {{"dmesg.vtd", dmesg.vtd},
                                                {"dmesg.amd_vi", dmesg.amd_vi},
                                                {"dmesg.vmx", dmesg.vmx},
                                                {"dmesg.svm", dmesg.svm},
                                                {"dmesg.vmx_disabled_by_bios", dmesg.vmx_disabled_by_bios},
                                                {"dmesg.hap", dmesg.hap}};
  for (const auto& [fact, found] : seen) {
    if (found || !dmesg.truncated) {
      out.set(fact, found, kXlDmesg);
    } else {
      out.unknown(fact, truncated_reason);
    }
  }
  const std::pair<const char*, std::optional<bool>> states[] = {
      {"dmesg.io_virtualisation", dmesg.io_virtualisation}, {"dmesg.interrupt_remapping", dmesg.interrupt_remapping}};
  for (const auto& [fact, state] : states) {
    if (state) {
      out.set(fact, *state, kXlDmesg);
    } else {
      out.unknown(fact, dmesg.truncated ? truncated_reason : "xl dmesg has no such line");
    }
  }
  return dmesg;
}

void collect_assignable(const CollectContext& context, FactWriter& out) {
  CommandText text = xl_output(context.host, "xl-pci-assignable-list.txt", {"xl", "pci-assignable-list"});
  if (!text.text) {
    out.unknown("assignable", text.reason);
    return;
  }
  AssignableList list = parse_assignable_list(*text.text);
  for (const AssignableProblem& problem : list.problems) {
    out.diagnostic("xl pci-assignable-list (xl-pci-assignable-list.txt): line " + std::to_string(problem.line) +
                   ": \"" + problem.word + "\" is not a PCI address; line ignored");
  }
  out.set("assignable", list.bdfs, "xl pci-assignable-list");
}

// The IOMMU is on when Xen says so: virt_caps lists hvm_directio / pv_directio only when it is (tools/xl/xl_info.c
// prints them from XEN_SYSCTL_PHYSCAP_directio), and xl dmesg prints "I/O virtualisation enabled|disabled".
void derive(const InfoFacts& info, const std::optional<XlDmesg>& dmesg, FactWriter& out) {
  const bool truncated = !dmesg || dmesg->truncated;
  const char* directio = nullptr;
  if (info.virt_caps && contains(*info.virt_caps, "hvm_directio")) directio = "xl info virt_caps: hvm_directio";
  else if (info.virt_caps && contains(*info.virt_caps, "pv_directio")) directio = "xl info virt_caps: pv_directio";
  std::optional<bool> iommu_on;
  if (directio || (dmesg && dmesg->io_virtualisation == true)) {
    iommu_on = true;
    out.set("iommu_enabled", true, directio ? directio : "xl dmesg: I/O virtualisation enabled");
  } else if (dmesg && dmesg->io_virtualisation == false) {
    iommu_on = false;
    out.set("iommu_enabled", false, "xl dmesg: I/O virtualisation disabled");
  } else if (info.virt_caps && contains(*info.virt_caps, "hvm")) {
    // A virt_caps that lists hvm (Xen 4.14+) but not hvm_directio was written with the IOMMU off.
    iommu_on = false;
    out.set("iommu_enabled", false, "xl info virt_caps: hvm without hvm_directio");
  } else {
    out.unknown("iommu_enabled", truncated ? "neither virt_caps nor a complete xl dmesg says"
                                           : "xl info has no virt_caps and xl dmesg no I/O virtualisation line");
  }

  if (dmesg && dmesg->interrupt_remapping) {
    out.set("intremap_enabled", *dmesg->interrupt_remapping, "xl dmesg: Interrupt remapping");
  } else if (iommu_on == false) {
    // iommu_setup() clears iommu_intremap when the IOMMU is off, and then prints no "Interrupt remapping" line.
    out.set("intremap_enabled", false, "the IOMMU is off (xen/drivers/passthrough/iommu.c iommu_setup)");
  } else {
    out.unknown("intremap_enabled", truncated ? "xl dmesg missing or truncated: cannot tell"
                                              : "xl dmesg has no \"Interrupt remapping\" line");
  }

  // In a PV dom0 cpuid hides VMX/SVM: HVM support is what Xen reports (xen_caps hvm-*, or its boot log).
  bool caps_hvm = info.caps && std::any_of(info.caps->begin(), info.caps->end(),
                                            [](const std::string& cap) { return starts_with(cap, "hvm-"); });
  if (caps_hvm || (dmesg && (dmesg->vmx || dmesg->svm))) {
    out.set("hvm", true, caps_hvm ? "xl info xen_caps: hvm-*" : "xl dmesg: HVM enabled");
  } else if (info.caps) {
    out.set("hvm", false, "xl info xen_caps: no hvm-* entry");
  } else if (dmesg && dmesg->vmx_disabled_by_bios) {
    out.set("hvm", false, "xl dmesg: VMX disabled by BIOS");
  } else {
    out.unknown("hvm", "no xl info xen_caps and no HVM line in xl dmesg");
  }
  if ((info.virt_caps && contains(*info.virt_caps, "hap")) || (dmesg && dmesg->hap)) {
    out.set("hap", true, "xl info virt_caps / xl dmesg");
  } else if (info.virt_caps && contains(*info.virt_caps, "hvm") && info.minor && *info.minor >= 13) {
    // virt_caps gained "hap" in Xen 4.13 (tools/xl/xl_info.c): before that its absence says nothing.
    out.set("hap", false, "xl info virt_caps: no hap");
  } else {
    out.unknown("hap", "neither virt_caps nor xl dmesg says");
  }
  // Shadow paging is the HVM fallback without HAP, and a build option: Xen sets XEN_SYSCTL_PHYSCAP_shadow only
  // when built with CONFIG_SHADOW_PAGING (xen/arch/x86/sysctl.c arch_do_physinfo), and xl prints it next to hap
  // (tools/xl/xl_info.c output_physinfo). Debian 12's Xen 4.17.7 is built without it (the lab's
  // /boot/xen-4.17-amd64.config: "# CONFIG_SHADOW_PAGING is not set", virt_caps "pv hvm hvm_directio ..."), its
  // 4.17.5 with it (virt_caps "... shadow ...").
  if (info.virt_caps && contains(*info.virt_caps, "shadow")) {
    out.set("shadow", true, "xl info virt_caps: shadow");
  } else if (info.virt_caps && contains(*info.virt_caps, "hvm") && info.minor && *info.minor >= 13) {
    out.set("shadow", false, "xl info virt_caps: no shadow");
  } else {
    out.unknown("shadow", "xl info has no virt_caps of Xen 4.13 or later to say");
  }
}

}  // namespace

std::optional<XlDmesg> collect_xl(const CollectContext& context, const std::optional<std::string>& why_not,
                                   FactWriter& out) {
  if (why_not) {
    mark_unknown(out, {"version", "major", "minor", "extra", "major_minor", "caps", "virt_caps", "commandline",
                       "commandline_params", "commandline_iommu", "commandline_iommu_off_by", "iommu_enabled",
                       "intremap_enabled", "hvm", "hap", "shadow", "total_memory_mb", "free_memory_mb", "nr_cpus", "assignable",
                       "dmesg"},
                 *why_not);
    return std::nullopt;
  }
  InfoFacts info = collect_info(context, out);
  std::optional<XlDmesg> dmesg = collect_dmesg(context, out);
  collect_assignable(context, out);
  derive(info, dmesg, out);
  return dmesg;
}

}  // namespace ptdoctor::hostplug
