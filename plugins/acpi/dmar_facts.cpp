#include <cstdio>

#include "scope_resolver.hpp"
#include "table_facts.hpp"

namespace ptdoctor::acpi {
namespace {

constexpr const char* kPciDevicesDir = "/sys/bus/pci/devices";

std::string path_text(const PciHop& hop) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02x.%x", hop.device, hop.function);
  return buffer;
}

// Resolves and checks the scopes of one structure. `devices` collects the BDFs of PCI scopes (endpoints and
// bridges): IOAPIC/HPET/namespace scopes name requester ids that have no /sys/bus/pci entry.
class ScopeFacts {
 public:
  ScopeFacts(const HostView& host, std::string_view label, std::vector<std::string>& warnings)
      : host_(host), label_(label), warnings_(warnings),
        pci_listed_(host.list_dir(kPciDevicesDir).ok()) {}

  void add(const char* structure, std::uint16_t segment, const std::vector<DeviceScope>& scopes, Json& into) {
    Json list = Json::array();
    Json devices = Json::array();
    for (const DeviceScope& scope : scopes) {
      Json path = Json::array();
      for (const PciHop& hop : scope.path) path.push_back(path_text(hop));
      const ResolvedScope resolved = resolve_scope(host_, segment, scope);
      Json item{{"offset", scope.offset}, {"type", scope_type_name(scope.type)}, {"type_id", scope.type},
                {"enumeration_id", scope.enumeration_id}, {"start_bus", scope.start_bus}, {"path", path},
                {"bdf", resolved.bdf ? Json(*resolved.bdf) : Json(nullptr)}};
      if (!resolved.note.empty()) item["unresolved"] = resolved.note;
      const bool pci = scope.type == 1 || scope.type == 2;
      if (pci && resolved.bdf) {
        devices.push_back(*resolved.bdf);
        check_present(structure, scope, *resolved.bdf);
      }
      list.push_back(std::move(item));
    }
    into["scopes"] = std::move(list);
    into["devices"] = std::move(devices);
  }

 private:
  // Only when the host's PCI tree is there at all: a snapshot without /sys/bus/pci says nothing about devices.
  void check_present(const char* structure, const DeviceScope& scope, const std::string& bdf) {
    if (!pci_listed_) return;
    const std::string dir = std::string(kPciDevicesDir) + "/" + bdf;
    if (!host_.exists(dir)) {
      warnings_.push_back(at_offset(label_, scope.offset, std::string(structure) + " device scope " + bdf + " (" +
          scope_type_name(scope.type) + ") is not present in " + kPciDevicesDir +
          ": stale firmware table, or the device is disabled in the firmware setup"));
      return;
    }
    // Header type (config offset 0x0e, bits 0-6): 0 endpoint, 1 PCI-to-PCI bridge.
    auto header_type = host_.read_at(config_path(bdf), 0x0e, 1);
    if (!header_type.ok() || header_type->size() != 1) return;
    const unsigned layout = static_cast<unsigned char>((*header_type)[0]) & 0x7f;
    const bool is_bridge = layout == 1;
    if ((scope.type == 2) != is_bridge) {
      warnings_.push_back(at_offset(label_, scope.offset, std::string(structure) + " device scope " + bdf +
          " says " + scope_type_name(scope.type) + " but its config header type is " + std::to_string(layout) +
          (is_bridge ? " (bridge)" : " (not a bridge)")));
    }
  }

  const HostView& host_;
  std::string_view label_;
  std::vector<std::string>& warnings_;
  bool pci_listed_;
};

}  // namespace

Json dmar_facts(DmarTable& table, const HostView& host, std::string_view label) {
  Json facts = header_facts(table.prelude);
  if (table.prelude.header_ok) {
    facts["host_address_width"] = table.host_address_width;
    facts["flags"] = table.flags;
    facts["intr_remap"] = (table.flags & 1) != 0;
    facts["x2apic_opt_out"] = (table.flags & 2) != 0;
    facts["dma_ctrl_platform_opt_in"] = (table.flags & 4) != 0;
  } else {
    for (const char* key : {"host_address_width", "flags", "intr_remap", "x2apic_opt_out",
                            "dma_ctrl_platform_opt_in"}) {
      facts[key] = nullptr;
    }
  }
  ScopeFacts scopes(host, label, table.warnings);
  Json drhd = Json::array();
  for (const Drhd& unit : table.drhd) {
    Json item{{"offset", unit.offset}, {"flags", unit.flags}, {"include_pci_all", unit.include_pci_all()},
              {"segment", unit.segment}, {"base", unit.base}, {"base_hex", hex(unit.base)},
              {"register_pages", 1u << (unit.size & 0xf)}};
    scopes.add("DRHD", unit.segment, unit.scopes, item);
    drhd.push_back(std::move(item));
  }
  Json rmrr = Json::array();
  for (const Rmrr& region : table.rmrr) {
    Json item{{"offset", region.offset}, {"segment", region.segment}, {"base", region.base},
              {"base_hex", hex(region.base)}, {"limit", region.limit}, {"limit_hex", hex(region.limit)}};
    scopes.add("RMRR", region.segment, region.scopes, item);
    rmrr.push_back(std::move(item));
  }
  Json atsr = Json::array();
  for (const Atsr& unit : table.atsr) {
    Json item{{"offset", unit.offset}, {"flags", unit.flags}, {"all_ports", (unit.flags & 1) != 0},
              {"segment", unit.segment}};
    scopes.add("ATSR", unit.segment, unit.scopes, item);
    atsr.push_back(std::move(item));
  }
  Json rhsa = Json::array();
  for (const Rhsa& unit : table.rhsa) {
    rhsa.push_back(Json{{"offset", unit.offset}, {"base", unit.base}, {"base_hex", hex(unit.base)},
                        {"proximity_domain", unit.proximity_domain}});
  }
  Json andd = Json::array();
  for (const Andd& device : table.andd) {
    andd.push_back(Json{{"offset", device.offset}, {"device_number", device.device_number},
                        {"object_name", device.object_name}});
  }
  Json satc = Json::array();
  for (const Satc& unit : table.satc) {
    Json item{{"offset", unit.offset}, {"flags", unit.flags}, {"atc_required", (unit.flags & 1) != 0},
              {"segment", unit.segment}};
    scopes.add("SATC", unit.segment, unit.scopes, item);
    satc.push_back(std::move(item));
  }
  facts["drhd"] = std::move(drhd);
  facts["rmrr"] = std::move(rmrr);
  facts["atsr"] = std::move(atsr);
  facts["rhsa"] = std::move(rhsa);
  facts["andd"] = std::move(andd);
  facts["satc"] = std::move(satc);
  add_findings(facts, table.unknown, table.warnings, table.errors);
  return facts;
}

}  // namespace ptdoctor::acpi
