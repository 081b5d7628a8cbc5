// The pci plugin: every PCI function with what passthrough needs to know about it (identity, driver, IOMMU
// group, bridge, reset and isolation capabilities, BARs), through libpci on the host root's sysfs or on an
// `lspci -xxx` dump given with options["pci-dump"].
#include <algorithm>
#include <map>
#include <optional>

#include "device_record.hpp"
#include "libpci_session.hpp"
#include "ptdoctor/plugin_api.hpp"
#include "shadow_tree.hpp"
#include "shared_resources.hpp"
#include "sysfs_guard.hpp"

namespace ptdoctor::pci {
namespace {

constexpr std::size_t kMaxConfigSize = 4096;
// libxl assigns only devices bound to pciback (xen-project/xen:tools/libs/light/libxl_pci.c libxl_pci_assignable,
// which reads /sys/bus/pci/drivers/pciback): pci-stub and vfio-pci are the KVM way and do not count.
const std::vector<std::string> kAssignableDrivers = {"pciback"};

void iommu_groups(const HostView& host, FactWriter& out) {
  auto groups = host.list_dir("/sys/kernel/iommu_groups");
  if (!groups) {
    out.unknown("iommu_groups",
                "no /sys/kernel/iommu_groups: Linux does not drive an IOMMU here (IOMMU off, or a Xen dom0, where "
                "Xen owns the IOMMU and dom0 has no groups)");
    return;
  }
  Json map = Json::object();
  for (const std::string& group : *groups) {
    const std::string dir = "/sys/kernel/iommu_groups/" + group + "/devices";
    auto members = host.list_dir(dir);
    if (!members) {
      out.diagnostic(dir + ": " + members.error().message + "; group " + group + " is left out");
      continue;
    }
    Json list = Json::array();
    for (const std::string& member : *members) {
      if (is_bdf(member)) list.push_back(member);
    }
    map[group] = std::move(list);
  }
  // Moved: a copy held beside the store's was another ~200 bytes per group at the end of the pci plugin's run.
  out.set("iommu_groups", std::move(map), "/sys/kernel/iommu_groups");
}

void write_devices(std::vector<DeviceRecord> records, const std::string& source, FactWriter& out) {
  // By BDF, each record's read from its map once: looked up in the comparison, two map searches per comparison
  // were 8.7 M instructions of `facts` on a 1,024-function host.
  {
    std::vector<std::pair<const std::string*, std::size_t>> order;
    order.reserve(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
      order.emplace_back(&records[i].facts.at("bdf").get_ref<const std::string&>(), i);
    }
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return *a.first < *b.first; });
    std::vector<DeviceRecord> sorted;
    sorted.reserve(records.size());
    for (const auto& [bdf, index] : order) sorted.push_back(std::move(records[index]));
    records = std::move(sorted);
  }
  add_shared_resources(records);
  // Moved, not copied: on a big host the shares_*_with lists make the records most of the memory.
  Json devices = Json::array();
  devices.get_ref<Json::array_t&>().reserve(records.size());
  for (DeviceRecord& record : records) {
    // Complete now: the room device_record reserved and any left by add_shared_resources goes back.
    record.facts.get_ref<Json::object_t&>().shrink_to_fit();
    devices.push_back(std::move(record.facts));
  }
  Json pciback = Json::array();
  for (const Json& device : devices) {
    if (device["driver"].is_string() &&
        std::find(kAssignableDrivers.begin(), kAssignableDrivers.end(), device["driver"].get<std::string>()) !=
            kAssignableDrivers.end()) {
      pciback.push_back(device["bdf"]);
    }
  }
  const std::size_t count = devices.size();
  out.set("devices", std::move(devices), source);
  for (std::size_t i = 0; i < records.size(); ++i) {
    for (const auto& [field, reason] : records[i].unknown) {
      out.unknown("devices." + std::to_string(i) + "." + field, reason);
    }
  }
  out.set("count", count, source);
  out.set("pciback", pciback, source + " (driver links)");
}

void collect_dump(const std::string& dump, FactWriter& out) {
  LibpciSession session(LibpciSession::Method::kDump, dump);
  out.set("source", "dump:" + dump, "options pci-dump");
  if (!session.scan()) {
    const std::string why = dump + ": libpci could not read the dump: " +
                            (session.errors().empty() ? std::string("?") : session.errors().back()) +
                            ". Give the output of `lspci -xxx` (or -xxxx, as root).";
    out.diagnostic(why);
    out.unknown("devices", why);
    return;
  }
  std::vector<DeviceRecord> devices;
  std::vector<std::string> problems;
  for (pci_dev* dev = session.devices(); dev; dev = dev->next) {
    DeviceRecord record = device_record(session, dev, nullptr, nullptr, kMaxConfigSize, problems);
    if (!record.facts.is_null()) devices.push_back(std::move(record));
  }
  name_devices(session, devices, problems);
  for (const std::string& problem : problems) out.diagnostic(dump + ": " + problem);
  write_devices(std::move(devices), "lspci dump " + dump, out);
  out.unknown("iommu_groups", "a config-space dump has no IOMMU groups");
}

// Every function's record, or nullopt when the tree cannot be read (the reason is already written). Everything
// used only to read them (the checked entries with each function's parsed `resource` file and the list of files
// libpci reads, the shadow tree, libpci's session) is freed on return, before the records are
// handed over: held beside them it was ~3 KiB per function of `facts`' peak heap (massif, 1k sriov host).
std::optional<std::vector<DeviceRecord>> read_sysfs_records(const HostView& host, FactWriter& out) {
  SysfsCheck check = check_sysfs_tree(host);
  out.set("source", "sysfs", kPciDevicesDir);
  if (!check.present) {
    out.unknown("devices", std::string("no ") + kPciDevicesDir + " under the root " + host.root() +
                               ": not a Linux sysfs tree (or /sys was not captured)");
    out.unknown("pciback", "no PCI devices were read");
    out.unknown("iommu_groups", "no PCI devices were read");
    return std::nullopt;
  }
  for (const std::string& refusal : check.refusals) out.diagnostic(refusal);
  std::optional<ShadowTree> shadow;
  std::string sysfs_path = host.real_path("/sys/bus/pci");
  if (!check.direct) {
    auto created = ShadowTree::create(host, check.devices);
    if (!created) {
      out.diagnostic(created.error().message);
      out.unknown("devices", created.error().message);
      return std::nullopt;
    }
    shadow.emplace(std::move(*created));
    sysfs_path = shadow->path();
  }
  // By BDF, sorted: a std::map's node per function was ~80 bytes more of the peak than this vector's 24.
  std::vector<std::pair<std::string_view, CheckedDevice*>> checked;
  checked.reserve(check.devices.size());
  for (CheckedDevice& device : check.devices) {
    checked.emplace_back(device.bdf, &device);
    for (const std::string& file : device.libpci_files) host.note_access(file);
    // Noted for snapshots, never read again: ~1.4 KiB of paths per function (massif, 1k sriov).
    std::vector<std::string>().swap(device.libpci_files);
  }
  std::sort(checked.begin(), checked.end());
  LibpciSession session(LibpciSession::Method::kSysfs, sysfs_path);
  if (!session.scan()) {
    const std::string why = "libpci could not enumerate " + host.root() + kPciDevicesDir + ": " +
                            (session.errors().empty() ? std::string("?") : session.errors().back());
    out.diagnostic(why);
    out.unknown("devices", why);
    return std::nullopt;
  }
  for (const std::string& warning : session.warnings()) out.diagnostic("libpci: " + warning);
  std::vector<DeviceRecord> devices;
  devices.reserve(check.devices.size());
  std::vector<std::string> problems;
  for (pci_dev* dev = session.devices(); dev; dev = session.release_first()) {
    const std::string bdf = format_bdf(*dev);
    auto found = std::lower_bound(checked.begin(), checked.end(), bdf,
                                  [](const auto& entry, const std::string& key) { return entry.first < key; });
    // Cannot fail with the checked tree (its BDFs are the names of one directory's entries, each once); never read
    // an unchecked one.
    if (found == checked.end() || found->first != bdf) continue;
    CheckedDevice& device = *found->second;
    auto size = host.stat(device.device_path + "/config");
    const std::size_t config_size = size ? std::min<std::size_t>(size->size, kMaxConfigSize) : 0;
    DeviceRecord record = device_record(session, dev, &host, &device, config_size, problems);
    if (!record.facts.is_null()) devices.push_back(std::move(record));
    // The record holds the BARs' JSON and its path now: the parsed `resource` numbers and the path (~0.3 KiB per
    // function) are done with. The BDF stays: `checked` is searched by it.
    device.resources = Resources();
    std::string().swap(device.device_path);
    if (session.broken()) break;
  }
  name_devices(session, devices, problems);
  for (const std::string& problem : problems) out.diagnostic(problem);
  return devices;
}

void collect_sysfs(const HostView& host, FactWriter& out) {
  auto records = read_sysfs_records(host, out);
  if (!records) return;
  write_devices(std::move(*records), "libpci linux-sysfs on " + std::string(kPciDevicesDir), out);
  iommu_groups(host, out);
}

class PciPlugin final : public Plugin {
 public:
  PluginInfo info() const override {
    return {"pci",
            "1.0.0",
            "pci",
            "PCI functions: ids, class, driver, IOMMU group, bridge, FLR, ACS, BARs (libpci)",
            {},  // provides: declared once in plugins/pci/facts.yaml, filled in by the core
            {}};
  }

  void collect(const CollectContext& context, FactWriter& out) override {
    auto dump = context.options.find("pci-dump");
    if (dump != context.options.end() && !dump->second.empty()) {
      collect_dump(dump->second.front(), out);
    } else {
      collect_sysfs(context.host, out);
    }
  }
};

}  // namespace
}  // namespace ptdoctor::pci

PTDOCTOR_PLUGIN(ptdoctor::pci::PciPlugin)
