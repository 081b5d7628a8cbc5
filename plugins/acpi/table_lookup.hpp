#pragma once
// Finding an ACPI table in /sys/firmware/acpi/tables through the host view, and telling "absent" (the directory
// lists and the table is not there) from "unknown" (not root, not captured, unreadable), each with its reason.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptdoctor/host_view.hpp"

namespace ptdoctor::acpi {

inline constexpr const char* kTablesDir = "/sys/firmware/acpi/tables";

// Xen hides the DMAR from dom0 by renaming its signature and fixing the checksum (acpi_dmar_zap in
// xen/drivers/passthrough/vtd/dmar.c), so dom0 Linux does not drive the IOMMU Xen owns; the table then appears in
// sysfs under the new name: RMAD, or XMAR from Xen releases that overwrote only the first letter.
inline const std::vector<std::string> kDmarNames = {"DMAR", "RMAD", "XMAR"};
inline const std::vector<std::string> kIvrsNames = {"IVRS"};

struct TableFile {
  std::string name;  // as found in sysfs: "DMAR", "RMAD"
  std::string path;
  std::string bytes;
};

// Either the table, or (no table, empty reason) known absent, or (no table, reason) unknown.
struct Lookup {
  std::optional<TableFile> table;
  std::string unknown_reason;
};

// The first of `names` present in the tables directory.
Lookup find_table(const HostView& host, const std::vector<std::string>& names);

}  // namespace ptdoctor::acpi
