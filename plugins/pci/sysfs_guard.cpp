#include "sysfs_guard.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

#include "sysfs_attributes.hpp"

namespace ptdoctor::pci {
namespace {

// Opened by libpci 3.9's sysfs method when asked (pci_scan_bus and the fill flags in device_record.hpp; `irq` and
// `resource` only with PCI_FILL_IRQ or the BAR flags) or by the record's own readers: mandatory ones make libpci
// call its error handler when missing.
const std::vector<std::string> kMandatoryFiles = {"vendor", "device", "class", "irq", "resource"};
const std::vector<std::string> kOptionalFiles = {"config",           "revision", "subsystem_vendor",
                                                 "subsystem_device", "label",    "numa_node",
                                                 "modalias",         "vpd",      "rom"};

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

// The type of a listed entry (the listing is sorted by name), or nothing when the directory has no such entry.
std::optional<FileInfo::Type> entry_type(const std::vector<DirEntry>& listing, const std::string& name) {
  auto found = std::lower_bound(listing.begin(), listing.end(), name,
                                [](const DirEntry& entry, const std::string& wanted) { return entry.name < wanted; });
  if (found == listing.end() || found->name != name) return std::nullopt;
  return found->type;
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
  for (const std::string& file : kMandatoryFiles) {
    if (entry_type(*listing, file) != FileInfo::Type::kRegular) {
      return resolved + "/" + file + " is missing or not a regular file (libpci needs it)";
    }
  }
  for (const std::string& file : kOptionalFiles) {
    auto type = entry_type(*listing, file);
    if (type && *type != FileInfo::Type::kRegular) {
      return resolved + "/" + file + " is not a regular file (symlink, FIFO or device)";
    }
  }
  for (const auto* list : {&kMandatoryFiles, &kOptionalFiles}) {
    for (const std::string& file : *list) {
      if (entry_type(*listing, file)) device.libpci_files.push_back(resolved + "/" + file);
    }
  }
  device.has_reset = entry_type(*listing, "reset").has_value();
  device.has_driver = entry_type(*listing, "driver").has_value();
  device.has_iommu_group = entry_type(*listing, "iommu_group").has_value();
  device.has_boot_vga = entry_type(*listing, "boot_vga").has_value();
  device.has_reset_method = entry_type(*listing, "reset_method").has_value();
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
