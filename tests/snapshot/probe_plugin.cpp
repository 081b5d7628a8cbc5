// Test-only plugin: reads through the host view the way real plugins do, and writes what it saw under "probe".
#include <algorithm>
#include <cstdio>
#include <sstream>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "ptdoctor/plugin_api.hpp"

namespace {

using ptdoctor::Json;

std::string hex_bytes(const std::string& bytes) {
  std::string out;
  char buffer[4];
  for (unsigned char c : bytes) {
    std::snprintf(buffer, sizeof buffer, "%02x", c);
    out += buffer;
  }
  return out;
}

std::string basename_of(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// CPUID leaf 0 vendor and leaf 1 ECX, live from the instruction, offline from the cpuid.txt capture.
void cpuid_facts(const ptdoctor::CollectContext& context, ptdoctor::FactWriter& out) {
  unsigned vendor[3] = {0, 0, 0};
  unsigned ecx1 = 0;
  bool have = false;
  if (context.host.live()) {
#if defined(__x86_64__) || defined(__i386__)
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    __cpuid_count(0, 0, eax, ebx, ecx, edx);
    vendor[0] = ebx, vendor[1] = edx, vendor[2] = ecx;
    __cpuid_count(1, 0, eax, ebx, ecx, edx);
    ecx1 = ecx;
    have = true;
#endif
  } else if (auto text = context.host.capture("cpuid.txt")) {
    std::istringstream lines(*text);
    std::string line;
    while (std::getline(lines, line)) {
      unsigned leaf = 0, sub = 0, a = 0, b = 0, c = 0, d = 0;
      if (std::sscanf(line.c_str(), " 0x%x 0x%x: eax=0x%x ebx=0x%x ecx=0x%x edx=0x%x", &leaf, &sub, &a, &b, &c,
                      &d) != 6 || sub != 0) {
        continue;
      }
      if (leaf == 0) vendor[0] = b, vendor[1] = d, vendor[2] = c;
      if (leaf == 1) ecx1 = c, have = true;
    }
  }
  if (!have) {
    out.unknown("cpuid", "no CPUID");
    return;
  }
  std::string name(reinterpret_cast<const char*>(vendor), 12);  // registers hold the ASCII vendor string
  out.set("cpuid.vendor", name, "cpuid");
  out.set("cpuid.vmx", ((ecx1 >> 5) & 1) != 0, "cpuid");
  out.set("cpuid.hypervisor", ((ecx1 >> 31) & 1) != 0, "cpuid");
}

class ProbePlugin final : public ptdoctor::Plugin {
 public:
  ptdoctor::PluginInfo info() const override {
    return {"probe", "1.0.0", "probe", "test probe", {"probe.*"}, {}};
  }

  void collect(const ptdoctor::CollectContext& context, ptdoctor::FactWriter& out) override {
    const ptdoctor::HostView& host = context.host;
    for (const char* path : {"/proc/cmdline", "/proc/sys/kernel/osrelease", "/etc/default/grub", "/etc/modules",
                             "/sys/hypervisor/type"}) {
      std::string key = std::string("files.") + path;
      std::replace(key.begin() + 6, key.end(), '/', '_');
      if (auto text = host.read_file(path)) out.set(key, {{"path", path}, {"text", *text}}, path);
      else out.set(key, {{"path", path}, {"missing", true}}, path);
    }
    if (auto cpuinfo = host.read_file("/proc/cpuinfo")) {
      std::istringstream lines(*cpuinfo);
      std::string line;
      while (std::getline(lines, line)) {
        if (line.rfind("model name", 0) == 0) out.set("cpuinfo.model", line, "/proc/cpuinfo");
        if (line.rfind("flags", 0) == 0) {
          out.set("cpuinfo.vmx", line.find(" vmx") != std::string::npos, "/proc/cpuinfo");
          out.set("cpuinfo.hypervisor", line.find(" hypervisor") != std::string::npos, "/proc/cpuinfo");
          break;
        }
      }
    }
    if (auto tables = host.list_dir("/sys/firmware/acpi/tables")) out.set("acpi_tables", *tables, "listing");
    if (auto modprobe = host.list_dir("/etc/modprobe.d")) out.set("modprobe_d", *modprobe, "listing");
    Json devices = Json::array();
    if (auto bdfs = host.list_dir("/sys/bus/pci/devices")) {
      for (const auto& bdf : *bdfs) {
        std::string dir = "/sys/bus/pci/devices/" + bdf;
        Json device = {{"bdf", bdf}};
        for (const char* attribute : {"vendor", "device", "class", "boot_vga"}) {
          auto text = host.read_file(dir + "/" + attribute);
          device[attribute] = text ? Json(*text) : Json(nullptr);
        }
        auto config = host.read_at(dir + "/config", 0, 4);
        device["config_ids"] = config ? Json(hex_bytes(*config)) : Json(nullptr);
        auto driver = host.read_link(dir + "/driver");
        device["driver"] = driver ? Json(basename_of(*driver)) : Json(nullptr);
        auto group = host.read_link(dir + "/iommu_group");
        device["iommu_group"] = group ? Json(basename_of(*group)) : Json(nullptr);
        auto real = host.resolve(dir);
        device["real"] = real ? Json(*real) : Json(nullptr);
        device["has_reset"] = host.exists(dir + "/reset");
        device["has_rom"] = host.exists(dir + "/rom");  // as the pci plugin's guard does: a stat, never a read
        devices.push_back(device);
      }
    }
    out.set("pci", devices, "/sys/bus/pci/devices");
    // Existence only (stat, no read): the snapshot must keep the answer.
    out.set("xen_backend_bus", host.exists("/sys/bus/xen-backend"), "/sys/bus/xen-backend");
    if (auto info = host.command_output("xl-info.txt", {"xl", "info"}, std::chrono::milliseconds(5000))) {
      out.set("xl_info_lines", std::count(info->begin(), info->end(), '\n'), "xl info");
    } else {
      out.unknown("xl_info_lines", info.error().message);
    }
    cpuid_facts(context, out);
  }
};

}  // namespace

PTDOCTOR_PLUGIN(ProbePlugin)
