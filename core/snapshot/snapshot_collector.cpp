#include "utc_time.hpp"
#include "snapshot/snapshot_collector.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>
#include <set>

#include "host/path_util.hpp"
#include "ptdoctor/config.hpp"
#include "snapshot/archive_paths.hpp"
#include "snapshot/cpuid_capture.hpp"
#include "snapshot/redact.hpp"
#include "snapshot/snapshot_policy.hpp"

namespace ptdoctor::snapshot {
namespace {

constexpr const char* kCaptureDir = "/.ptdoctor/capture";
constexpr const char* kManifestPath = ".ptdoctor/manifest.json";
constexpr std::chrono::milliseconds kCommandTimeout{15000};

// Small files that describe the host, archived even when no plugin read them (a human helper reads them too).
constexpr std::array kAlwaysFiles = {
    "/proc/cpuinfo", "/proc/cmdline", "/proc/version", "/proc/sys/kernel/osrelease",
    "/proc/sys/kernel/hostname", "/proc/modules", "/proc/iomem", "/proc/xen/capabilities",
    "/etc/hostname", "/etc/os-release", "/etc/default/grub", "/etc/modules",
    "/sys/firmware/acpi/tables/DMAR", "/sys/firmware/acpi/tables/IVRS", "/sys/firmware/acpi/tables/RMAD",
    "/proc/config.gz",
};
// Directories archived whole, to a depth (within the policy). IOMMU groups stop at the device links: the device
// directories behind them hold BAR files that must not be read. Not /proc/xen: reading xenbus talks to xenstore.
struct AlwaysDirectory {
  const char* path;
  std::size_t depth;
};
constexpr std::array kAlwaysDirectories = {
    AlwaysDirectory{"/etc/default/grub.d", 2}, AlwaysDirectory{"/etc/modprobe.d", 2},
    AlwaysDirectory{"/etc/xen", 4},            AlwaysDirectory{"/sys/hypervisor", 4},
    AlwaysDirectory{"/sys/kernel/iommu_groups", 3}, AlwaysDirectory{"/sys/bus/pci/drivers", 1},
    AlwaysDirectory{"/sys/module/xen_pciback", 2},
};
// What libpci and the device plugins read in a PCI device's sysfs directory. `reset` and `rom` are kept as empty
// files only: their existence is the fact (reading `rom` can disturb the device).
constexpr std::array kPciAttributes = {
    "config", "resource", "vendor", "device", "class", "revision", "subsystem_vendor", "subsystem_device",
    "boot_vga", "reset_method", "irq", "numa_node", "enable", "d3cold_allowed", "power_state", "modalias", "label",
    "current_link_speed", "current_link_width", "max_link_speed", "max_link_width", "driver", "iommu_group",
    "physfn", "driver_override",
};
constexpr std::array kPciPresenceOnly = {"reset", "rom"};

struct Capture {
  const char* name;
  std::vector<std::string> argv;
};

const std::vector<Capture>& commands() {
  static const std::vector<Capture> kCommands = {
      {"xl-info.txt", {"xl", "info"}},
      {"xl-dmesg.txt", {"xl", "dmesg"}},
      {"xl-pci-assignable-list.txt", {"xl", "pci-assignable-list"}},
  };
  return kCommands;
}


std::string child(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

class Collector {
 public:
  Collector(const HostView& host, const CollectOptions& options) : host_(host), options_(options) {}

  SnapshotContents run();

 private:
  enum class Depth { kContent, kPresence };
  // Adds a host path with every symlink on the way (as links) and the object at its end.
  void add(const std::string& path, Depth depth, std::size_t recurse = 0);
  void add_object(const std::string& resolved, Depth depth, std::size_t recurse, bool listed);
  void add_listing(const std::string& dir, std::size_t recurse);
  void add_pci_devices();
  void add_captures();
  void note_problem(const std::string& path, const std::string& reason);
  static std::string relative(const std::string& host_path) { return host::relative_to_root(host_path); }

  const HostView& host_;
  const CollectOptions& options_;
  SnapshotContents out_;
  std::set<std::pair<std::string, int>> visited_;
  std::set<std::string> listed_;  // directories the plugins listed (their entries must exist in the snapshot)
  std::string hostname_;
  Json unreadable_ = Json::array();
  Json excluded_ = Json::array();
  Json presence_only_ = Json::array();
};

void Collector::note_problem(const std::string& path, const std::string& reason) {
  unreadable_.push_back({{"path", path}, {"reason", reason}});
}

void Collector::add(const std::string& path, Depth depth, std::size_t recurse) {
  std::string normal = host::normalize_host_path(path);
  if (!visited_.insert({normal, static_cast<int>(depth) * 100 + static_cast<int>(recurse)}).second) return;
  if (const char* why = excluded_reason(normal)) {
    excluded_.push_back({{"path", normal}, {"reason", why}});
    return;
  }
  // Walk the components: each symlink is stored as a link, and the walk continues where it resolves to.
  std::string current = "/";
  for (const auto& part : host::split_path(normal)) {
    std::string candidate = child(current, part);
    auto target = host_.read_link(candidate);
    if (!target) {
      current = candidate;
      continue;
    }
    auto contained = contained_link_target(candidate, *target);
    if (!contained) {
      excluded_.push_back({{"path", candidate}, {"reason", "symbolic link to '" + *target + "' leaves the root"}});
      return;
    }
    auto& entry = out_.entries[relative(candidate)];
    entry.type = ArchiveEntry::Type::kSymlink;
    entry.target = *contained;
    auto resolved = host_.resolve(candidate);
    if (!resolved) {
      note_problem(candidate, resolved.error().message);
      return;
    }
    if (excluded_reason(*resolved) != nullptr) {
      excluded_.push_back({{"path", *resolved}, {"reason", excluded_reason(*resolved)}});
      return;
    }
    current = *resolved;
  }
  add_object(current, depth, recurse, listed_.count(normal) != 0 || listed_.count(current) != 0);
}

// A PCI function's `reset` or `rom` in sysfs: archived as presence only, however it was reached (the pci plugin's
// guard stat()s `rom`, which puts it in the accessed set that is otherwise archived with content). Reading `rom`
// maps the option ROM and can disturb the device; on the Xen lab's dom0 it failed with EINVAL.
bool presence_only_attribute(const std::string& resolved) {
  if (!resolved.starts_with("/sys/")) return false;
  const std::string name = resolved.substr(resolved.rfind('/') + 1);
  return std::find(kPciPresenceOnly.begin(), kPciPresenceOnly.end(), name) != kPciPresenceOnly.end();
}

void Collector::add_object(const std::string& resolved, Depth depth, std::size_t recurse, bool listed) {
  if (presence_only_attribute(resolved)) depth = Depth::kPresence;
  auto info = host_.stat(resolved);
  if (!info) {
    if (info.error().kind != ErrorKind::kNotFound) note_problem(resolved, info.error().message);
    return;
  }
  std::string name = relative(resolved);
  if (name.empty()) return;  // the root itself
  if (info->type == FileInfo::Type::kDirectory) {
    if (out_.entries.count(name) == 0) out_.entries[name].type = ArchiveEntry::Type::kDirectory;
    if (listed || recurse > 0) add_listing(resolved, recurse);
    return;
  }
  if (info->type != FileInfo::Type::kRegular) {
    note_problem(resolved, "not a regular file (devices are not archived)");
    return;
  }
  auto& entry = out_.entries[name];
  entry.type = ArchiveEntry::Type::kFile;
  if (depth == Depth::kPresence) {
    if (entry.content.empty()) presence_only_.push_back(resolved);
    return;
  }
  auto content = host_.read_file(resolved, kDefaultReadLimit);
  if (!content) {
    note_problem(resolved, content.error().message);
    return;
  }
  entry.content = options_.redact ? redact(resolved, std::move(*content), hostname_) : std::move(*content);
}

void Collector::add_listing(const std::string& dir, std::size_t recurse) {
  auto names = host_.list_dir(dir);
  if (!names) {
    note_problem(dir, names.error().message);
    return;
  }
  for (const auto& name : *names) {
    // Entries of a directory a plugin listed must exist (names are facts); their contents only when read.
    add(child(dir, name), recurse > 0 ? Depth::kContent : Depth::kPresence, recurse > 0 ? recurse - 1 : 0);
  }
}

void Collector::add_pci_devices() {
  auto devices = host_.list_dir("/sys/bus/pci/devices");
  if (!devices) return;
  for (const auto& bdf : *devices) {
    std::string dir = "/sys/bus/pci/devices/" + bdf;
    add(dir, Depth::kPresence);
    for (const char* attribute : kPciAttributes) add(dir + "/" + attribute, Depth::kContent);
    for (const char* attribute : kPciPresenceOnly) add(dir + "/" + attribute, Depth::kPresence);
  }
}

void Collector::add_captures() {
  auto store = [&](const std::string& name, std::string content) {
    auto& entry = out_.entries[relative(std::string(kCaptureDir) + "/" + name)];
    entry.type = ArchiveEntry::Type::kFile;
    entry.content = options_.redact ? redact(name, std::move(content), hostname_) : std::move(content);
    ++out_.captures;
  };
  for (const Capture& capture : commands()) {
    auto output = host_.command_output(capture.name, capture.argv, kCommandTimeout);
    if (output) {
      store(capture.name, std::move(*output));
    } else {
      note_problem(std::string("command: ") + capture.argv[0] + " " + capture.argv[1], output.error().message);
    }
  }
  auto cpuid = host_.capture("cpuid.txt");
  if (cpuid) {
    store("cpuid.txt", std::move(*cpuid));
  } else if (host_.live()) {
    store("cpuid.txt", raw_cpuid_dump());
  } else {
    note_problem("capture: cpuid.txt", cpuid.error().message);
  }
}

SnapshotContents Collector::run() {
  auto hostname = host_.read_file("/proc/sys/kernel/hostname", 4096);
  if (!hostname || hostname->empty()) hostname = host_.read_file("/etc/hostname", 4096);
  if (hostname) hostname_ = hostname->substr(0, hostname->find('\n'));

  std::vector<std::string> accessed = host_.accessed();
  for (const auto& path : accessed) {
    if (path.starts_with("/")) listed_.insert(path);  // stat() below tells a listed directory from a read file
  }
  for (const auto& path : accessed) {
    if (!path.starts_with("/") || path.starts_with(kCaptureDir)) continue;  // "command:..." and old captures
    add(path, Depth::kContent);
  }
  for (const char* path : kAlwaysFiles) add(path, Depth::kContent);
  for (const auto& dir : kAlwaysDirectories) add(dir.path, Depth::kContent, dir.depth);
  auto release = host_.read_file("/proc/sys/kernel/osrelease", 4096);
  if (release && !release->empty()) {
    std::string name = release->substr(0, release->find('\n'));
    add("/boot/config-" + name, Depth::kContent);
    add("/lib/modules/" + name + "/modules.builtin", Depth::kContent);
  }
  add_pci_devices();
  add_captures();

  Json manifest = {
      {"format", "ptdoctor-snapshot"},
      {"schema", 1},
      {"tool_version", config::kVersion},
      {"created", utc_now()},
      {"hostname", options_.redact ? std::string(kRedactedHostname) : hostname_},
      {"root", host_.root()},
      {"live", host_.live()},
      {"as_root", ::geteuid() == 0},
      {"redacted", options_.redact},
      {"plugins", options_.plugins},
      {"unreadable", unreadable_},
      {"excluded", excluded_},
      {"presence_only", presence_only_},
  };
  add_parent_directories(out_.entries);
  for (const auto& [name, entry] : out_.entries) {
    if (entry.type == ArchiveEntry::Type::kFile) {
      ++out_.files;
      out_.bytes += entry.content.size();
    } else if (entry.type == ArchiveEntry::Type::kSymlink) {
      ++out_.links;
    } else {
      ++out_.directories;
    }
  }
  manifest["entries"] = out_.entries.size() + 1;
  auto& stored = out_.entries[kManifestPath];
  stored.type = ArchiveEntry::Type::kFile;
  stored.content = manifest.dump(2) + "\n";
  out_.manifest = std::move(manifest);
  return std::move(out_);
}

}  // namespace

SnapshotContents collect_snapshot(const HostView& host, const CollectOptions& options) {
  return Collector(host, options).run();
}

}  // namespace ptdoctor::snapshot
