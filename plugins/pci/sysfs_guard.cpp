#include "sysfs_guard.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include "sysfs_attributes.hpp"

namespace ptdoctor::pci {
namespace {

// The files of a device directory the guard and the record ask about, in one table. First those opened by libpci
// 3.9's sysfs method when asked (pci_scan_bus and the fill flags in device_record.hpp; `irq` and `resource` only
// with PCI_FILL_IRQ or the BAR flags) or by the record's own readers: the mandatory ones make libpci call its error
// handler when missing, then the optional ones, each group in the order its checks (and their messages) go; then
// the files only the record reads, whose presence it is told.
constexpr std::string_view kFiles[] = {
    "vendor", "device", "class", "irq", "resource",                                          // mandatory
    "config", "revision", "subsystem_vendor", "subsystem_device", "label", "numa_node", "modalias", "vpd", "rom",
    "reset", "driver", "iommu_group", "boot_vga", "reset_method"};
constexpr std::size_t kFileCount = std::size(kFiles), kMandatoryCount = 5, kLibpciCount = 14;
enum : std::size_t { kReset = 14, kDriver, kIommuGroup, kBootVga, kResetMethod };

using ListedTypes = std::array<std::optional<FileInfo::Type>, kFileCount>;

// The type of each of kFiles in a device directory's listing (sorted by name), nothing where it is absent: one
// merge of two sorted lists rather than a search of the listing per file (33 per function, 8 M instructions of
// `facts` on a 1,024-function host).
ListedTypes listed_types(const std::vector<DirEntry>& listing) {
  static const std::array<std::size_t, kFileCount> kByName = [] {
    std::array<std::size_t, kFileCount> order{};
    for (std::size_t i = 0; i < kFileCount; ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [](std::size_t a, std::size_t b) { return kFiles[a] < kFiles[b]; });
    return order;
  }();
  ListedTypes types;
  auto entry = listing.begin();
  for (std::size_t index : kByName) {
    const std::string_view name = kFiles[index];
    while (entry != listing.end() && std::string_view(entry->name) < name) ++entry;
    if (entry == listing.end()) break;
    if (entry->name == name) types[index] = entry->type;
  }
  return types;
}

// Lexically joins a relative link target to the directory holding the link. Empty when it climbs above "/".
std::string join_lexically(const std::string& directory, const std::string& target) {
  std::vector<std::string> parts;
  auto push_components = [&parts](const std::string& path) {
    std::size_t start = 0;
    while (start <= path.size()) {
      std::size_t end = path.find('/', start);
      if (end == std::string::npos) end = path.size();
      std::string part = path.substr(start, end - start);
      start = end + 1;
      if (part.empty() || part == ".") continue;
      if (part == "..") {
        if (parts.empty()) return false;
        parts.pop_back();
      } else {
        parts.push_back(part);
      }
    }
    return true;
  };
  if (!push_components(directory) || !push_components(target)) return {};
  std::string joined;
  for (const std::string& part : parts) joined += "/" + part;
  return joined.empty() ? "/" : joined;
}

// Why the entry cannot be given to libpci, or "" when it can. `target` is the entry's link as read_link gave it.
std::string refusal_reason(const HostView& host, const std::string& entry, const Result<std::string>& target,
                           CheckedDevice& device, bool& lexical) {
  std::string& resolved = device.device_path;
  const std::string link_path = std::string(kPciDevicesDir) + "/" + entry;
  if (!is_bdf(entry)) return "the name is not a PCI address (DDDD:BB:DD.F)";
  if (!target) return "not a symlink (the kernel makes every entry a link into /sys/devices)";
  if (target->empty() || target->front() == '/') {
    return "absolute link target '" + *target + "' (the kernel's links are relative; an absolute one would " +
           "make libpci read the machine running ptdoctor instead of the root)";
  }
  const std::string lexical_path = join_lexically(kPciDevicesDir, *target);
  if (lexical_path.empty()) return "link target '" + *target + "' climbs above the root";
  auto where = host.resolve(link_path);
  if (!where) return "link cannot be resolved: " + where.error().message;
  resolved = *where;
  if (resolved.rfind("/sys/devices/", 0) != 0) {
    return "link resolves to " + resolved + ", outside /sys/devices";
  }
  lexical = lexical_path == resolved;
  // One listing with the entries' own types answers which files exist and which are regular files that are not
  // links, so absent optional files and the check of present ones cost nothing more.
  auto listing = host.list_dir_entries(resolved);
  if (!listing) return "target " + resolved + " is not a readable directory: " + listing.error().message;
  const ListedTypes types = listed_types(*listing);
  for (std::size_t i = 0; i < kMandatoryCount; ++i) {
    if (types[i] != FileInfo::Type::kRegular) {
      return resolved + "/" + std::string(kFiles[i]) + " is missing or not a regular file (libpci needs it)";
    }
  }
  for (std::size_t i = kMandatoryCount; i < kLibpciCount; ++i) {
    if (types[i] && *types[i] != FileInfo::Type::kRegular) {
      return resolved + "/" + std::string(kFiles[i]) + " is not a regular file (symlink, FIFO or device)";
    }
  }
  for (std::size_t i = 0; i < kLibpciCount; ++i) {
    if (types[i]) device.libpci_files.push_back(resolved + "/" + std::string(kFiles[i]));
  }
  device.has_reset = types[kReset].has_value();
  device.has_driver = types[kDriver].has_value();
  device.has_iommu_group = types[kIommuGroup].has_value();
  device.has_boot_vga = types[kBootVga].has_value();
  device.has_reset_method = types[kResetMethod].has_value();
  // libpci 3.9 calls its error handler on a `resource` line sscanf cannot read; that would end the whole scan.
  std::string problem;
  if (!resources(host, resolved, device.resources, problem)) return problem;
  return {};
}

}  // namespace

// DDDD:BB:DD.F in lower-case hex, the device number 00-1f: the shape the kernel gives every entry. Checked by
// hand: std::regex costs more to compile (its bracket caches) than every name of a 4,096-function tree to check.
bool is_bdf(const std::string& text) {
  static constexpr std::string_view kShape = "xxxx:xx:Dx.F";
  if (text.size() != kShape.size()) return false;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    const char c = text[i];
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    const bool ok = kShape[i] == 'x'   ? hex
                    : kShape[i] == 'D' ? c == '0' || c == '1'
                    : kShape[i] == 'F' ? c >= '0' && c <= '7'
                                       : c == kShape[i];
    if (!ok) return false;
  }
  return true;
}

SysfsCheck check_sysfs_tree(const HostView& host) {
  SysfsCheck check;
  auto entries = host.list_dir(kPciDevicesDir);
  if (!entries) return check;
  check.present = true;
  auto devices_dir = host.resolve(kPciDevicesDir);
  bool lexical_all = devices_dir && *devices_dir == kPciDevicesDir;
  // Every entry's link first, all from the one directory the host view keeps open, before each device directory
  // is listed and read (which moves the kept directory away from /sys/bus/pci/devices).
  std::vector<Result<std::string>> targets;
  targets.reserve(entries->size());
  for (const std::string& entry : *entries) {
    if (!entry.empty() && entry.front() == '.') continue;  // libpci skips these too
    targets.push_back(is_bdf(entry) ? host.read_link(std::string(kPciDevicesDir) + "/" + entry)
                                    : Result<std::string>(std::string()));
  }
  std::size_t next_target = 0;
  for (const std::string& entry : *entries) {
    if (!entry.empty() && entry.front() == '.') continue;
    CheckedDevice device{entry, {}, {}, {}, false};
    bool lexical = false;
    std::string reason = refusal_reason(host, entry, targets[next_target++], device, lexical);
    if (!reason.empty()) {
      check.refusals.push_back(std::string(kPciDevicesDir) + "/" + entry + ": " + reason +
                               "; the entry is skipped. If this tree is a snapshot, take it again with " +
                               "`ptdoctor snapshot`; on a live host this is not what the kernel makes: report it.");
      continue;
    }
    lexical_all = lexical_all && lexical;
    check.devices.push_back(std::move(device));
  }
  check.direct = lexical_all && check.refusals.empty();
  return check;
}

}  // namespace ptdoctor::pci
