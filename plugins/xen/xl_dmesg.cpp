#include "xl_dmesg.hpp"

#include "text_util.hpp"

namespace ptdoctor::hostplug {
namespace {

// The banner and "Xen version" come within the first few lines of a complete log.
constexpr std::size_t kVersionLineWindow = 40;

// "(XEN) [    1.234567] message" -> "message" (the timestamp appears with console_timestamps=).
std::string_view message_of(std::string_view line) {
  line = trim(line);
  if (starts_with(line, "(XEN)")) line = trim(line.substr(5));
  if (!line.empty() && line.front() == '[') {
    std::size_t close = line.find(']');
    if (close != std::string_view::npos) line = trim(line.substr(close + 1));
  }
  return line;
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

}  // namespace

XlDmesg parse_xl_dmesg(std::string_view text) {
  XlDmesg dmesg;
  std::size_t number = 0;
  for (std::string_view line : split_lines(text)) {
    ++number;
    std::string_view message = message_of(line);
    if (starts_with(message, "Xen version ")) {
      if (number <= kVersionLineWindow) dmesg.truncated = false;
      dmesg.version_line = std::string(message);
    } else if (starts_with(message, "I/O virtualisation enabled")) {
      dmesg.io_virtualisation = true;
    } else if (starts_with(message, "I/O virtualisation disabled")) {
      dmesg.io_virtualisation = false;
    } else if (starts_with(message, "Interrupt remapping enabled")) {
      dmesg.interrupt_remapping = true;
    } else if (starts_with(message, "Interrupt remapping disabled")) {
      dmesg.interrupt_remapping = false;
    } else if (starts_with(message, "Intel VT-d") && contains(message, " enabled") &&
               !contains(message, "not enabled")) {
      dmesg.vtd = true;
    } else if (starts_with(message, "AMD-Vi:") && (contains(message, "Enabled") || contains(message, " enabled"))) {
      dmesg.amd_vi = true;
    } else if (starts_with(message, "HVM: VMX enabled")) {
      dmesg.vmx = true;
    } else if (starts_with(message, "HVM: SVM enabled")) {
      dmesg.svm = true;
    } else if (starts_with(message, "HVM: Hardware Assisted Paging (HAP) detected")) {
      dmesg.hap = true;
    } else if (contains(message, "Disabling IOMMU due to Intel") && contains(message, "errat")) {
      dmesg.iommu_errata_line = std::string(message);
    } else if (contains(message, "VMX disabled by BIOS")) {
      dmesg.vmx_disabled_by_bios = true;
    }
  }
  return dmesg;
}

}  // namespace ptdoctor::hostplug
