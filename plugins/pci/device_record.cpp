#include "device_record.hpp"

#include <cstdint>
#include <iterator>
#include <map>

#include "capability_list.hpp"
#include "config_reader.hpp"
#include "config_space.hpp"
#include "sysfs_attributes.hpp"

namespace ptdoctor::pci {
namespace {

constexpr int kHeaderTypeOffset = 0x0e, kSecondaryBusOffset = 0x19;
// Interrupt Pin register of the type 0 and type 1 headers: 0 none, 1-4 INTA#-INTD# (PCI Local Bus spec 6.2.4).
constexpr int kInterruptPinOffset = 0x3d;
constexpr std::uint8_t kMultifunctionBit = 0x80;
constexpr std::size_t kCapabilityListEnd = 256;  // the standard capability list ends at 0xff
// Every member device_record sets, in key order. The record is made with all of them (null) first, so that setting
// each finds its place by a search instead of inserting into the middle of the object's sorted vector and moving
// the members after it: those moves were ~30 M instructions of `facts` on a 1,024-function host (callgrind).
// add_shared_resources adds shares_irq_with and shares_page_with later.
constexpr const char* kRecordKeys[] = {
    "acs", "bar_total", "bars", "bdf", "boot_vga", "class", "config_size", "device_id", "device_name", "driver",
    "flr", "header_type", "interrupt_pin", "iommu_group", "irq", "is_bridge", "is_pcie", "msi", "msix",
    "multifunction", "parent_bridge", "pm_no_soft_reset", "port_type", "prog_if", "reset_file", "reset_methods",
    "revision", "rom", "secondary_bus", "subsystem_device_id", "subsystem_vendor_id", "sysfs_path", "vendor_id",
    "vendor_name"};
constexpr std::size_t kRecordMembers = std::size(kRecordKeys) + 2;  // with the two shares_*_with lists

// The registers the facts below read: the header type (and, of a bridge, its secondary bus number) and the
// interrupt pin in the header; from each capability's start, PCIe flags (+2) and Device Capabilities (+4), AF
// Capabilities (+3), PMCSR (+4), MSI and MSI-X Message Control (+2), ACS Capability (+4) and Control (+6). Only
// these are read (config_reader.hpp says why), so a fact that needs another register must be given it here.
std::vector<ConfigRange> wanted_registers(const CapPositions& caps, bool bridge) {
  std::vector<ConfigRange> wanted = {{kHeaderTypeOffset, 1}, {kInterruptPinOffset, 1}};
  if (bridge) wanted.push_back({kSecondaryBusOffset, 1});
  const std::pair<unsigned, std::size_t> ranges[] = {{caps.pcie, 8}, {caps.af, 4},   {caps.pm, 6},
                                                     {caps.msi, 4},  {caps.msix, 4}, {caps.acs, 8}};
  for (const auto& [position, length] : ranges) {
    if (position != 0) wanted.push_back({position, length});
  }
  return wanted;
}

// PCIe Capabilities register bits 7:4 (PCIe base spec 7.5.3.2): what kind of port or endpoint this is.
Json port_type(const ConfigBytes& config, unsigned pcie_cap) {
  static const char* const kNames[] = {"endpoint",      "legacy_endpoint", nullptr,
                                       nullptr,         "root_port",       "upstream_port",
                                       "downstream_port", "pcie_to_pci_bridge", "pci_to_pcie_bridge",
                                       "rc_endpoint",   "rc_event_collector"};
  if (!pcie_cap) return nullptr;
  auto flags = config.u16(pcie_cap + 2);
  if (!flags) return nullptr;
  const unsigned type = (*flags >> 4) & 0xf;
  return type < std::size(kNames) && kNames[type] ? Json(kNames[type]) : Json("unknown");
}

// Why the config-space fields of a record that stayed null are unknown. sysfs shows non-root readers only the
// first 64 bytes of config space (linux:drivers/pci/pci-sysfs.c pci_read_config), so the capability list (PCIe,
// AF, PM: up to 0xff) needs 256 bytes and ACS, an extended capability past 0x100, needs 4096.
std::map<std::string, std::string> unknown_config_fields(const Json& record, const std::string& where,
                                                         std::size_t size, const CapPositions& caps) {
  // The reasons are built only for a field that is unknown: on a host read as root none is, and building the six
  // messages for every function anyway was 11 M instructions of `facts` on a 1,024-function host.
  auto have = [&] { return where + ": config space is " + std::to_string(size) + " bytes"; };
  auto short_caps = [&] { return have() + ", too short for the capability list (256 bytes, root only)"; };
  auto short_header = [&] { return have() + ", shorter than the 64-byte header"; };
  auto cut = [&] { return where + ": the capability's registers lie past the readable config space"; };
  std::map<std::string, std::string> unknown;
  auto unless_known = [&](const char* field, auto reason) {
    auto found = record.find(field);
    if (found != record.end() && found->is_null()) unknown[field] = reason();
  };
  unless_known("header_type", short_header);
  unless_known("interrupt_pin", short_header);
  unless_known("msi", short_caps);
  unless_known("msix", short_caps);
  unless_known("multifunction", short_header);
  if (record["is_bridge"] == true) unless_known("secondary_bus", short_header);
  // A capability libpci found but could not read, one that is absent, or a list too short to tell.
  auto capability = [&](unsigned position, const char* absent) {
    return [&, position, absent] {
      return position ? cut() : size >= kCapabilityListEnd ? where + absent : short_caps();
    };
  };
  unless_known("is_pcie", short_caps);
  unless_known("port_type", capability(caps.pcie, ": not a PCI Express function"));
  unless_known("flr", [&] { return size >= kCapabilityListEnd ? cut() : short_caps(); });
  unless_known("pm_no_soft_reset", capability(caps.pm, ": no PM capability, so no NoSoftRst bit"));
  unless_known("acs", [&] {
    return size > kCapabilityListEnd ? cut()
                                     : have() + ", without the extended capabilities past 0x100 where ACS lives "
                                                "(4096 bytes, root only)";
  });
  return unknown;
}

}  // namespace

void name_devices(LibpciSession& session, std::vector<DeviceRecord>& records, std::vector<std::string>& problems) {
  const bool broken_before = session.broken();
  // Only these names are kept from pci.ids (PciIds).
  std::vector<std::uint32_t> ids;
  ids.reserve(records.size());
  for (const DeviceRecord& record : records) {
    ids.push_back((record.vendor_id & 0xffffu) << 16 | (record.device_id & 0xffffu));
  }
  session.read_names(&ids);
  for (DeviceRecord& record : records) {
    const std::string vendor = session.lookup_vendor(record.vendor_id);
    const std::string device = session.lookup_device(record.vendor_id, record.device_id);
    record.facts["vendor_name"] = vendor.empty() ? Json() : Json(vendor);
    record.facts["device_name"] = device.empty() ? Json() : Json(device);
  }
  // Only when libpci reads pci.ids itself (PciIds could not vouch for the file) can it fail, and then every name
  // is unknown; the records are complete by now, so none is lost with the session.
  if (!broken_before && session.broken()) {
    problems.push_back("libpci could not read its list of PCI ids: " + session.errors().back() +
                       "; vendor and device names are unknown");
  }
}

std::string format_bdf(const pci_dev& dev) {
  return bdf_text(static_cast<unsigned>(dev.domain), dev.bus, dev.dev, dev.func);
}

DeviceRecord device_record(LibpciSession& session, pci_dev* dev, const HostView* host, const CheckedDevice* checked,
                           std::size_t config_size, std::vector<std::string>& problems) {
  const std::string device_path = checked ? checked->device_path : std::string();
  const std::string bdf = format_bdf(*dev);
  if (!session.fill(dev, host && checked ? kLiveFillFlags : kDumpFillFlags)) {
    problems.push_back(bdf + ": libpci failed: " +
                       (session.errors().empty() ? std::string("earlier error") : session.errors().back()));
    return {};
  }
  ConfigReader reader(session, dev, config_size);
  CapPositions caps = find_capabilities(reader);
  std::optional<std::uint8_t> header;
  if (reader.size() >= 64) header = reader.u8(kHeaderTypeOffset);
  // A PCI-to-PCI bridge by its header type (1) or its class (0x0604).
  const bool is_bridge = (header && (*header & 0x7f) == 1) || dev->device_class == 0x0604;
  for (const ConfigRange& range : wanted_registers(caps, is_bridge)) reader.want(range);
  const ConfigBytes config = reader.bytes();
  if (config.size() < 64) {
    problems.push_back((device_path.empty() ? bdf : device_path + "/config") + ": config space is " +
                       std::to_string(config.size()) + " bytes, shorter than the 64-byte header; header type, "
                       "FLR and ACS are unknown. Run as root, or re-take the snapshot.");
    caps = {};
  }
  // Room for every member at once (with the two add_shared_resources adds): the object's sorted vector would
  // otherwise grow by doubling, moving its members each time, to a capacity of 64 (json_object_map.hpp).
  Json record = Json::object();
  auto& members = record.get_ref<Json::object_t&>();
  members.reserve(kRecordMembers);
  for (const char* key : kRecordKeys) members.emplace(key);  // in key order: appended
  record["bdf"] = bdf;
  record["vendor_id"] = hex_id(dev->vendor_id, 4);
  record["device_id"] = hex_id(dev->device_id, 4);
  record["subsystem_vendor_id"] = hex_id(dev->subsys_vendor_id, 4);
  record["subsystem_device_id"] = hex_id(dev->subsys_id, 4);
  record["class"] = hex_id(dev->device_class, 4);
  record["prog_if"] = hex_id(dev->prog_if, 2);
  record["revision"] = hex_id(dev->rev_id, 2);
  record["header_type"] = header ? Json(*header & 0x7f) : Json();
  record["multifunction"] = header ? Json((*header & kMultifunctionBit) != 0) : Json();
  record["is_bridge"] = is_bridge;
  auto secondary = is_bridge ? config.u8(kSecondaryBusOffset) : std::nullopt;
  record["secondary_bus"] = secondary ? Json(*secondary) : Json();
  // Without the capability list, "no PCIe capability found" says nothing.
  record["is_pcie"] = caps.pcie != 0 || config.size() >= kCapabilityListEnd ? Json(caps.pcie != 0) : Json();
  record["port_type"] = port_type(config, caps.pcie);
  // A function without MSI and MSI-X can only signal through its INTx line, which it may share with others.
  auto has_cap = [&](unsigned position) {
    return position != 0 || config.size() >= kCapabilityListEnd ? Json(position != 0) : Json();
  };
  record["msi"] = has_cap(caps.msi);
  record["msix"] = has_cap(caps.msix);
  auto pin = config.size() >= 64 ? config.u8(kInterruptPinOffset) : std::nullopt;
  record["interrupt_pin"] = pin ? Json(*pin) : Json();
  std::optional<bool> intx_in_use;
  if (pin && *pin == 0) {
    intx_in_use = false;
  } else if (pin && !record["msi"].is_null()) {
    // Message Control, 2 bytes past each capability's id: MSI Enable is bit 0, MSI-X Enable bit 15.
    auto msi_control = caps.msi ? config.u16(caps.msi + 2) : std::optional<std::uint16_t>(0);
    auto msix_control = caps.msix ? config.u16(caps.msix + 2) : std::optional<std::uint16_t>(0);
    if (msi_control && msix_control) intx_in_use = !(*msi_control & 0x0001) && !(*msix_control & 0x8000);
  }
  record["flr"] = flr_fact(config, caps);
  record["acs"] = acs_fact(config, caps);
  record["pm_no_soft_reset"] = pm_no_soft_reset_fact(config, caps);
  record["config_size"] = config.size();
  auto unknown = unknown_config_fields(record, device_path.empty() ? bdf : device_path + "/config", config.size(),
                                       caps);
  if (!host || !checked) {
    // A dump holds config space only.
    record["driver"] = nullptr;
    record["iommu_group"] = nullptr;
    record["parent_bridge"] = nullptr;
    record["boot_vga"] = nullptr;
    record["reset_methods"] = nullptr;
    record["reset_file"] = nullptr;
    record["sysfs_path"] = nullptr;
    // The Interrupt Line register in a dump is what the firmware wrote, not the IRQ the kernel routed.
    record["irq"] = nullptr;
    unknown["irq"] = "a config-space dump has no IRQ routing (sysfs `irq`), only the firmware's Interrupt Line";
    Json bars = Json::array();
    std::uint64_t total = 0;
    for (int i = 0; i < 6; ++i) {
      if (!dev->size[i]) continue;
      total += dev->size[i];
      const bool io = (dev->base_addr[i] & PCI_BASE_ADDRESS_SPACE) == PCI_BASE_ADDRESS_SPACE_IO;
      const std::uint64_t start = dev->base_addr[i] & (io ? PCI_ADDR_IO_MASK : PCI_ADDR_MEM_MASK);
      bars.push_back({{"index", i}, {"start", start}, {"size", dev->size[i]}, {"type", io ? "io" : "mem"}});
    }
    record["bars"] = bars;
    record["bar_total"] = total;
    record["rom"] = {{"present", dev->rom_size > 0}, {"size", dev->rom_size}};
    return {std::move(record), std::move(unknown), intx_in_use, dev->vendor_id, dev->device_id};
  }
  record["sysfs_path"] = device_path;
  // What the readers give for an absent file, without opening it.
  record["driver"] = checked->has_driver ? link_basename(*host, device_path + "/driver") : Json();
  record["iommu_group"] = checked->has_iommu_group ? link_basename(*host, device_path + "/iommu_group") : Json();
  record["parent_bridge"] = parent_bridge(device_path);
  record["boot_vga"] = checked->has_boot_vga ? boot_vga(*host, device_path) : Json(false);
  record["reset_methods"] = checked->has_reset_method ? reset_methods(*host, device_path) : Json();
  record["reset_file"] = checked->has_reset;
  // The guard refused every device whose `resource` it could not parse, so these are always known here.
  record["bars"] = bars_json(checked->resources);
  record["bar_total"] = checked->resources.bar_total;
  record["rom"] = rom_json(checked->resources);
  std::string irq_problem;
  record["irq"] = irq_number(*host, device_path, irq_problem);
  if (!irq_problem.empty()) {
    problems.push_back(irq_problem);
    unknown["irq"] = irq_problem;
  }
  // Moved: a copy of the record's ~30-member map here was a sixth of device_record's instructions.
  return {std::move(record), std::move(unknown), intx_in_use, dev->vendor_id, dev->device_id};
}

}  // namespace ptdoctor::pci
