#include "pci_facts_view.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

namespace ptdoctor::pci {

PciFactsView::PciFactsView(const FactReader& facts) {
  const Json* devices = facts.find("pci.devices");
  if (!devices || !devices->is_array()) {
    reason_ = facts.unknown_reason("pci.devices").value_or("the pci plugin did not run");
    return;
  }
  devices_ = devices;
  for (const Json& device : *devices_) {
    if (device.contains("bdf") && device["bdf"].is_string()) by_bdf_[device["bdf"].get<std::string>()] = &device;
  }
  const Json* groups = facts.find("pci.iommu_groups");
  if (groups && groups->is_object()) groups_ = groups;
}

const Json* PciFactsView::device(const std::string& bdf) const {
  auto found = by_bdf_.find(bdf);
  return found == by_bdf_.end() ? nullptr : found->second;
}

std::vector<std::string> PciFactsView::slot_functions(const std::string& bdf) const {
  std::vector<std::string> functions;
  const std::string slot = slot_of(bdf);
  for (const auto& [other, device] : by_bdf_) {
    if (slot_of(other) == slot) functions.push_back(other);
  }
  return functions;
}

std::vector<std::string> PciFactsView::bridge_path(const std::string& bdf) const {
  std::vector<std::string> path;
  const Json* current = device(bdf);
  // The bound guards against a cycle in hand-made facts; real trees are a few bridges deep.
  while (current && path.size() < 64) {
    const Json& parent = (*current)["parent_bridge"];
    if (!parent.is_string()) break;
    path.push_back(parent.get<std::string>());
    current = device(parent.get<std::string>());
  }
  return path;
}

std::vector<std::string> PciFactsView::below(const std::string& bridge) const {
  std::vector<std::string> result;
  for (const auto& [bdf, device] : by_bdf_) {
    const auto path = bridge_path(bdf);
    if (std::find(path.begin(), path.end(), bridge) != path.end()) result.push_back(bdf);
  }
  return result;
}

std::optional<std::string> normalize_bdf(const std::string& text) {
  static const std::regex kBdf("(?:([0-9a-fA-F]{1,4}):)?([0-9a-fA-F]{1,2}):([0-1]?[0-9a-fA-F])\\.([0-7])");
  std::smatch match;
  if (!std::regex_match(text, match, kBdf)) return std::nullopt;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04lx:%02lx:%02lx.%lx",
                match[1].matched ? std::stoul(match[1].str(), nullptr, 16) : 0ul, std::stoul(match[2].str(), nullptr, 16),
                std::stoul(match[3].str(), nullptr, 16), std::stoul(match[4].str(), nullptr, 16));
  return std::string(buffer);
}

std::string slot_of(const std::string& bdf) {
  const std::size_t dot = bdf.rfind('.');
  return dot == std::string::npos ? bdf : bdf.substr(0, dot);
}

Json rmrrs_covering(const FactReader& facts, const std::string& bdf) {
  const Json* present = facts.find("acpi.dmar.present");
  if (present && *present == false) return Json::array();  // no DMAR (an AMD host, or none): no RMRR at all
  const Json* rmrrs = facts.find("acpi.dmar.rmrr");
  if (!rmrrs || !rmrrs->is_array()) return nullptr;
  Json covering = Json::array();
  for (const Json& region : *rmrrs) {
    if (!region.contains("devices") || !region["devices"].is_array()) continue;
    const Json& devices = region["devices"];
    if (std::find(devices.begin(), devices.end(), Json(bdf)) == devices.end()) continue;
    Json shared = Json::array();
    for (const Json& other : devices) {
      if (other != bdf) shared.push_back(other);
    }
    covering.push_back({{"base", region.value("base", Json())},
                        {"limit", region.value("limit", Json())},
                        {"base_hex", region.value("base_hex", Json())},
                        {"limit_hex", region.value("limit_hex", Json())},
                        {"devices", devices},
                        {"shared_with", shared}});
  }
  return covering;
}

}  // namespace ptdoctor::pci
