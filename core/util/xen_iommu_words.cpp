#include "xen_iommu_words.hpp"

namespace ptdoctor {
namespace {

// xen/common/kernel.c parse_bool().
std::optional<bool> xen_bool(std::string_view item) {
  for (std::string_view no : {"0", "no", "off", "false", "disable"}) {
    if (item == no) return false;
  }
  for (std::string_view yes : {"1", "yes", "on", "true", "enable"}) {
    if (item == yes) return true;
  }
  return std::nullopt;
}

}  // namespace

XenIommuSwitch xen_iommu_switch(std::string_view word) {
  if (word == "no-iommu") return XenIommuSwitch::kOff;
  constexpr std::string_view kPrefix = "iommu=";
  if (word.substr(0, kPrefix.size()) != kPrefix) return XenIommuSwitch::kUntouched;
  std::string_view list = word.substr(kPrefix.size());
  XenIommuSwitch result = XenIommuSwitch::kUntouched;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    if (auto value = xen_bool(list.substr(start, end - start))) {
      result = *value ? XenIommuSwitch::kOn : XenIommuSwitch::kOff;
    }
    start = end + 1;
  }
  return result;
}

std::optional<std::string> xen_iommu_off_by(const std::vector<std::string>& words) {
  std::optional<std::string> off_by;
  for (const std::string& word : words) {
    switch (xen_iommu_switch(word)) {
      case XenIommuSwitch::kOff: off_by = word; break;
      case XenIommuSwitch::kOn: off_by.reset(); break;
      case XenIommuSwitch::kUntouched: break;
    }
  }
  return off_by;
}

}  // namespace ptdoctor
