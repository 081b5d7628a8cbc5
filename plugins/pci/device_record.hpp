#pragma once
// One pci.devices[] entry from what libpci read and what sysfs says beside it.
#include <map>
#include <optional>
#include <string>

#include "hex_text.hpp"
#include "libpci_session.hpp"
#include "ptdoctor/host_view.hpp"
#include "ptdoctor/json.hpp"
#include "sysfs_guard.hpp"

namespace ptdoctor::pci {

// The libpci fill flags the record needs (kept with the record so sysfs_guard's file list stays in step). The BARs
// and the ROM come from libpci only for a config-space dump: on a live tree the record reads `resource` itself
// (sysfs_attributes.cpp), and libpci 3.9's sysfs method opens and sscanf()s that file again only when asked for
// PCI_FILL_BASES, PCI_FILL_SIZES or PCI_FILL_ROM_BASE (seen with strace: no `resource` open without them), which
// was two thirds of pci_fill_info's cost on a 1,024-function host. The capability lists are walked by
// find_capabilities (capability_list.hpp), with half of libpci's config accesses.
inline constexpr int kLiveFillFlags = PCI_FILL_IDENT | PCI_FILL_CLASS | PCI_FILL_CLASS_EXT | PCI_FILL_SUBSYS;
inline constexpr int kDumpFillFlags = kLiveFillFlags | PCI_FILL_BASES | PCI_FILL_SIZES | PCI_FILL_ROM_BASE;

std::string format_bdf(const pci_dev& dev);

struct DeviceRecord {
  Json facts;  // the pci.devices[] entry; null when libpci could not fill the function
  // Why each config-space field left null is unknown, by field name ("flr" -> "...: config space is 64 bytes...").
  std::map<std::string, std::string> unknown;
  // Signals through its INTx line now: an interrupt pin, and neither MSI nor MSI-X enabled in its Message Control
  // registers (a driver that enables either stops asserting INTx). Null when the config space does not tell.
  std::optional<bool> intx_in_use;
  // The ids the names are looked up by once every record is read (name_devices).
  unsigned vendor_id = 0;
  unsigned device_id = 0;
};

// host and checked: the root and what sysfs_guard found for the device, or null for a dump (no driver, group, boot_vga, reset_method there).
// problems: per-device input problems for diagnostics.
// The record's vendor_name and device_name stay null: name_devices fills them in.
DeviceRecord device_record(LibpciSession& session, pci_dev* dev, const HostView* host, const CheckedDevice* checked,
                           std::size_t config_size, std::vector<std::string>& problems);

// Sets every record's vendor_name and device_name from pci.ids (null when it has no name), once all are read, so
// that a pci.ids only libpci can read, and fails to, costs the names and not the functions after the first.
void name_devices(LibpciSession& session, std::vector<DeviceRecord>& records, std::vector<std::string>& problems);

}  // namespace ptdoctor::pci
