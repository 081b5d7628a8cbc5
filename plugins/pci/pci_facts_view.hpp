#pragma once
// Read-only helpers over the pci plugin's facts for the plugins that build on them (gpu, usb): lookup by BDF,
// slot functions, the bridge path to the root port, what sits below a bridge, and RMRRs from the acpi facts.
// Built as a small static library (ptdoctor_pci_facts) so the plugins share one reading of pci.devices.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ptdoctor/facts.hpp"
#include "ptdoctor/json.hpp"

namespace ptdoctor::pci {

class PciFactsView {
 public:
  explicit PciFactsView(const FactReader& facts);

  // False when pci.devices is missing or unknown; reason() says why.
  bool available() const { return devices_ != nullptr; }
  const std::string& reason() const { return reason_; }
  const Json& devices() const { return *devices_; }
  const Json* device(const std::string& bdf) const;

  // Every function in the same slot (DDDD:BB:DD), sorted, the given one included.
  std::vector<std::string> slot_functions(const std::string& bdf) const;
  // Upstream bridges from the nearest to the root port.
  std::vector<std::string> bridge_path(const std::string& bdf) const;
  // Every function with `bridge` among its upstream bridges, sorted.
  std::vector<std::string> below(const std::string& bridge) const;
  // pci.iommu_groups, or null when unknown.
  const Json* iommu_groups() const { return groups_; }

 private:
  const Json* devices_ = nullptr;
  const Json* groups_ = nullptr;
  std::string reason_;
  std::map<std::string, const Json*> by_bdf_;
};

// "08:00.0" or "0000:08:00.0" (any case) -> "0000:08:00.0"; nullopt when it is not a BDF.
std::optional<std::string> normalize_bdf(const std::string& text);
// "0000:08:00.0" -> "0000:08:00"
std::string slot_of(const std::string& bdf);

// RMRRs (acpi.dmar.rmrr[]) whose device list holds `bdf`: [{base, limit, base_hex, limit_hex, devices,
// shared_with}], shared_with = the other devices of the same region. Null when the acpi facts are not there.
Json rmrrs_covering(const FactReader& facts, const std::string& bdf);

}  // namespace ptdoctor::pci
