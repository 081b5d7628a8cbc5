#pragma once
// libpci's sysfs method opens files with the real kernel, following every symlink the host root holds. Before any
// tree is handed to it, each /sys/bus/pci/devices entry is checked through the HostView (which never leaves the
// root): the link must be relative, must not climb above the root, and must resolve inside the root under
// /sys/devices; every file libpci opens in the device directory must be a regular file (a FIFO would hang it, a
// symlink could point outside the root). Refused entries become diagnostics.
#include <string>
#include <vector>

#include "ptdoctor/host_view.hpp"
#include "resource_file.hpp"

namespace ptdoctor::pci {

struct CheckedDevice {
  std::string bdf;          // the entry name, lowercase "0000:08:00.0"
  std::string device_path;  // resolved host path: "/sys/devices/pci0000:00/0000:00:03.0/0000:08:00.0"
  std::vector<std::string> libpci_files;  // host paths of the files libpci will read (noted for snapshots)
  Resources resources;      // the parsed `resource` file (see resource_file.hpp), read once here
  bool has_reset = false;   // a `reset` file exists
  // Which of the other files the record reads are in the device directory's listing: absent ones are not opened
  // (on a big host most functions have no boot_vga, and a failed open costs as much as a read).
  bool has_driver = false, has_iommu_group = false, has_boot_vga = false, has_reset_method = false;
};

struct SysfsCheck {
  bool present = false;  // /sys/bus/pci/devices exists
  std::vector<CheckedDevice> devices;
  std::vector<std::string> refusals;  // one message per refused entry: what, where, what to do
  // True when libpci may read <root>/sys/bus/pci itself: nothing refused and the lexical paths libpci will open
  // are exactly the resolved ones. Otherwise a private directory of links to the checked devices is used.
  bool direct = false;
};

inline constexpr const char* kPciDevicesDir = "/sys/bus/pci/devices";

SysfsCheck check_sysfs_tree(const HostView& host);

// True for "DDDD:BB:DD.F" in lowercase hex.
bool is_bdf(const std::string& text);

}  // namespace ptdoctor::pci
