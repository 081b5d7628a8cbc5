#include "gpu_candidate.hpp"

#include "binding.hpp"

#include <algorithm>
#include <set>

namespace ptdoctor::gpu {
namespace {

const std::set<std::string> kGpuClasses = {"0x0300", "0x0302", "0x0380"};
const std::set<std::string> kHostGpuDrivers = {"radeon", "amdgpu", "nouveau", "nvidia", "i915", "xe"};
// Only pciback makes a function assignable (binding.hpp): pci-stub and vfio-pci do not.
const std::string kPciback = "pciback";

Json field(const Json& device, const char* key) { return device.contains(key) ? device[key] : Json(); }
// Read from sysfs (not a config-space dump): only then do the reset files and driver links say anything.
bool from_sysfs(const Json& device) { return !field(device, "sysfs_path").is_null(); }

bool acs_isolates(const Json& bridge) {
  const Json acs = field(bridge, "acs");
  return acs.is_object() && acs.value("enabled", false);
}

// Root and downstream ports must implement ACS to isolate; a switch's upstream port need not (Linux
// pci_acs_enabled, after PCIe 3.0 6.12.1.1). Unknown port types are judged like downstream ports.
bool acs_matters(const Json& bridge) { return field(bridge, "port_type") != "upstream_port"; }

// Without IOMMU groups (a Xen dom0), judge isolation the way Linux forms groups: a port without ACS lets the
// functions below its upstream switch port talk to each other without passing the IOMMU.
Json topology_isolation(const pci::PciFactsView& pci, const std::string& bdf, const std::vector<std::string>& slot,
                        Json& acs_path, bool& unknown) {
  const auto path = pci.bridge_path(bdf);
  std::string scope;  // the bridge whose subtree shares one isolation domain with the GPU
  for (std::size_t i = 0; i < path.size(); ++i) {
    const Json* bridge = pci.device(path[i]);
    if (bridge && !acs_matters(*bridge)) continue;
    const Json acs = bridge ? field(*bridge, "acs") : Json();
    acs_path.push_back({{"bdf", path[i]}, {"acs", acs.is_null() ? Json() : Json(acs_isolates(*bridge))}});
    if (acs.is_null()) unknown = true;
    if (!bridge || acs_isolates(*bridge)) continue;
    // A downstream port without ACS exposes the whole switch; a root port only its own subtree.
    scope = i + 1 < path.size() ? path[i + 1] : path[i];
  }
  Json peers = Json::array();
  if (scope.empty()) return peers;
  for (const std::string& other : pci.below(scope)) {
    const Json* device = pci.device(other);
    if (std::find(slot.begin(), slot.end(), other) != slot.end()) continue;
    if (device && field(*device, "is_bridge") == true) continue;
    peers.push_back(other);
  }
  return peers;
}

Json group_isolation(const pci::PciFactsView& pci, const Json& group, const std::vector<std::string>& slot) {
  Json peers = Json::array();
  const Json* groups = pci.iommu_groups();
  if (!groups || !group.is_string() || !groups->contains(group.get<std::string>())) return peers;
  for (const Json& member : (*groups)[group.get<std::string>()]) {
    const std::string other = member.get<std::string>();
    if (std::find(slot.begin(), slot.end(), other) != slot.end()) continue;
    const Json* device = pci.device(other);
    // Bridges in the group stay with dom0 harmlessly; the endpoints are what must go along.
    if (device && field(*device, "is_bridge") == true) continue;
    peers.push_back(other);
  }
  return peers;
}

// The VT-d unit (acpi.dmar.drhd[]) that translates the GPU's DMA: the one whose device scope names the GPU or a
// bridge above it, else the segment's INCLUDE_PCI_ALL unit (VT-d spec 8.3). Devices under different units never
// share translation. Null without DMAR facts.
Json iommu_unit(const FactReader& facts, const std::string& bdf, const std::vector<std::string>& path) {
  const Json* units = facts.find("acpi.dmar.drhd");
  if (!units || !units->is_array()) return nullptr;
  const unsigned long segment = std::stoul(bdf.substr(0, 4), nullptr, 16);
  std::vector<std::string> chain{bdf};
  chain.insert(chain.end(), path.begin(), path.end());
  Json catch_all;
  for (std::size_t index = 0; index < units->size(); ++index) {
    const Json& unit = (*units)[index];
    if (unit.value("segment", 0ul) != segment) continue;
    const Json summary = {{"index", index}, {"base_hex", unit.value("base_hex", Json())},
                          {"include_pci_all", unit.value("include_pci_all", false)}};
    if (unit.value("include_pci_all", false)) {
      catch_all = summary;
      continue;
    }
    const Json devices = unit.value("devices", Json::array());
    for (const std::string& hop : chain) {
      if (std::find(devices.begin(), devices.end(), Json(hop)) != devices.end()) return summary;
    }
  }
  return catch_all;
}

// One sentence on how dom0 Linux can reset the function, for gpu.flr. The kernel's own list (reset_method, Linux
// 5.15+) is authoritative; without it the methods are derived from config space the way Linux probes them
// (pci_reset_fn_methods: flr, af_flr, pm, bus).
Json reset_summary(const Json& device, const Json& siblings) {
  const Json methods = field(device, "reset_methods");
  const Json reset_file = field(device, "reset_file");
  const std::string none =
      "no reset possible at all under Xen: dom0 Linux, which resets passed devices, finds no method for it, so "
      "state leaks from one guest boot to the next and libxl logs \"The kernel doesn't support reset from sysfs\"";
  if (methods.is_array()) {
    // Linux fills reset_method while it adds the function (pci_init_capabilities, before list_add_tail onto the
    // bus in linux:drivers/pci/probe.c pci_device_add), so function 0 of a card is probed for a bus reset while it
    // is still alone on its bus and lists "bus"; at reset time pci_parent_bus_reset sees the functions added since
    // and returns -ENOTTY, and __pci_reset_function_locked moves on to the next method. Listed is not usable.
    const bool shares_bus = siblings.is_array() && !siblings.empty();
    std::string list;
    bool bus_refused = false;
    for (const Json& m : methods) {
      const std::string name = m.is_string() ? m.get<std::string>() : "?";
      if (name == "bus" && shares_bus) {
        bus_refused = true;
        continue;
      }
      list += (list.empty() ? "" : ", ") + name;
    }
    const std::string refused =
        bus_refused ? "the bus reset its reset_method lists is refused, since " + siblings[0].get<std::string>() +
                          " shares its bus (Linux made the list before that function appeared)"
                    : "";
    if (!list.empty()) {
      return "dom0 Linux can reset it with: " + list + " (its reset_method)" + (bus_refused ? "; " + refused : "");
    }
    if (!bus_refused) return none;
    return "no reset possible at all under Xen: " + refused +
           "; state leaks from one guest boot to the next (libxl logs that writing its sysfs reset file failed)";
  }
  if (from_sysfs(device) && reset_file == false) return none;
  std::vector<std::string> found;
  if (field(device, "flr") == true) found.push_back("flr");
  if (field(device, "pm_no_soft_reset") == false) found.push_back("pm (D3hot to D0)");
  if (siblings.is_array() && siblings.empty() && field(device, "parent_bridge").is_string()) found.push_back("bus");
  if (!found.empty()) {
    std::string list;
    for (const std::string& m : found) list += (list.empty() ? "" : ", ") + m;
    return "dom0 Linux can reset it with: " + list;
  }
  if (field(device, "flr") == false && field(device, "pm_no_soft_reset") == true && siblings.is_array() &&
      !siblings.empty()) {
    return "no reset possible at all under Xen: no FLR, the PM capability says NoSoftRst+ (a D3hot to D0 cycle "
           "keeps its state), and Linux does not bus-reset a function that shares its bus (with " +
           siblings[0].get<std::string>() + "); state leaks from one guest boot to the next";
  }
  return nullptr;
}

}  // namespace

bool is_gpu_class(const std::string& pci_class) { return kGpuClasses.count(pci_class) != 0; }

Json build_candidate(const pci::PciFactsView& pci, const FactReader& facts, const Json& device,
                     const QuirkDb* quirks) {
  const std::string bdf = device["bdf"];
  const auto slot = pci.slot_functions(bdf);
  Json candidate;
  candidate["bdf"] = bdf;
  candidate["vendor_id"] = field(device, "vendor_id");
  candidate["device_id"] = field(device, "device_id");
  const Json vendor = field(device, "vendor_name"), name = field(device, "device_name");
  candidate["name"] = vendor.is_string() && name.is_string() ? Json(vendor.get<std::string>() + " " +
                                                                    name.get<std::string>())
                                                              : name;
  candidate["class"] = field(device, "class");
  candidate["boot_vga"] = field(device, "boot_vga");
  candidate["driver"] = field(device, "driver");
  candidate["flr"] = field(device, "flr");
  candidate["reset_methods"] = field(device, "reset_methods");
  candidate["reset_file"] = field(device, "reset_file");
  candidate["iommu_group"] = field(device, "iommu_group");
  candidate["parent_bridge"] = field(device, "parent_bridge");
  candidate["bar_total"] = field(device, "bar_total");
  candidate["target"] = false;

  Json functions = Json::array(), details = Json::array(), not_pciback = Json::array();
  bool any_host_driver = false;
  for (const std::string& function : slot) {
    functions.push_back(function);
    const Json* other = pci.device(function);
    const Json driver = other ? field(*other, "driver") : Json();
    details.push_back({{"bdf", function}, {"class", other ? field(*other, "class") : Json()}, {"driver", driver},
                       {"flr", other ? field(*other, "flr") : Json()}});
    if (driver != kPciback) not_pciback.push_back(function);
    if (driver.is_string() && kHostGpuDrivers.count(driver.get<std::string>())) any_host_driver = true;
  }
  candidate["functions"] = functions;
  candidate["function_details"] = details;
  candidate["functions_not_pciback"] = not_pciback;
  candidate["held_by_host_driver"] = any_host_driver;
  // A config-space dump has no driver links: whether the card is assignable is then unknown.
  candidate["binding"] = field(device, "sysfs_path").is_null()
                             ? Json()
                             : describe_binding(facts, bdf, field(device, "driver"));

  // Reset under Xen is done by dom0 Linux, not by Xen: pciback resets the function when it takes it and when a
  // guest gives it back (linux:drivers/xen/xen-pciback/pci_stub.c, __pci_reset_function_locked), and libxl writes
  // /sys/bus/pci/devices/BDF/reset (xen-project/xen:tools/libs/light/libxl_pci.c libxl__device_pci_reset, which
  // logs "The kernel doesn't support reset from sysfs" when the kernel offers no method). Linux bus-resets a
  // function only when it is alone on its bus (linux:drivers/pci/pci.c pci_parent_bus_reset returns -ENOTTY on any
  // sibling; pci_dev_reset_slot_function refuses multifunction devices), so a GPU with an HDMI audio function never
  // gets a bus reset, and nothing else behind the bridge is reset with it.
  Json bus_peers = Json::array(), siblings = Json::array();
  const Json parent = field(device, "parent_bridge");
  if (parent.is_string()) {
    for (const std::string& other : pci.below(parent.get<std::string>())) {
      if (other == bdf || other.substr(0, 7) != bdf.substr(0, 7)) continue;  // same domain:bus only
      siblings.push_back(other);
      if (std::find(slot.begin(), slot.end(), other) == slot.end()) bus_peers.push_back(other);
    }
  }
  candidate["bus_peers"] = bus_peers;
  candidate["bus_siblings"] = siblings;
  candidate["pm_no_soft_reset"] = field(device, "pm_no_soft_reset");
  candidate["reset_summary"] = reset_summary(device, siblings);

  Json acs_path = Json::array();
  bool acs_unknown = false;
  if (pci.iommu_groups() && field(device, "iommu_group").is_string()) {
    candidate["isolation_source"] = "iommu_group";
    candidate["isolation_peers"] = group_isolation(pci, field(device, "iommu_group"), slot);
  } else {
    Json peers = topology_isolation(pci, bdf, slot, acs_path, acs_unknown);
    candidate["isolation_source"] = "acs_path";
    candidate["isolation_peers"] = acs_unknown ? Json() : peers;
  }
  candidate["acs_path"] = acs_path;
  candidate["iommu_unit"] = iommu_unit(facts, bdf, pci.bridge_path(bdf));

  // RMRRs covering any function of the slot: Xen refuses to assign a device whose RMRR is shared.
  Json rmrr = Json::array();
  std::set<std::string> shared_with;
  bool rmrr_known = true;
  for (const std::string& function : slot) {
    Json covering = pci::rmrrs_covering(facts, function);
    if (covering.is_null()) {
      rmrr_known = false;
      break;
    }
    for (Json& region : covering) {
      region["device"] = function;
      for (const Json& other : region["shared_with"]) shared_with.insert(other.get<std::string>());
      rmrr.push_back(region);
    }
  }
  candidate["rmrr"] = rmrr_known ? rmrr : Json();
  candidate["rmrr_shared_with"] =
      rmrr_known ? Json(std::vector<std::string>(shared_with.begin(), shared_with.end())) : Json();
  candidate["quirks"] = quirks ? quirks->match(device) : Json();
  return candidate;
}

}  // namespace ptdoctor::gpu
