#include "table_lookup.hpp"

namespace ptdoctor::acpi {
namespace {
// Far above any real DMAR/IVRS (a few KiB) and low enough that a hostile file costs nothing.
constexpr std::size_t kTableReadLimit = 1u << 20;
}  // namespace

Lookup find_table(const HostView& host, const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    const std::string path = std::string(kTablesDir) + "/" + name;
    auto bytes = host.read_file(path, kTableReadLimit);
    if (bytes.ok()) return {TableFile{name, path, std::move(bytes.value())}, ""};
    switch (bytes.error().kind) {
      case ErrorKind::kNotFound:
        continue;
      case ErrorKind::kPermissionDenied:
        // /sys/firmware/acpi/tables/* are mode 0400 root on most distributions.
        return {std::nullopt, path + " is readable only by root: run ptdoctor as root (sudo ptdoctor check)"};
      default:
        return {std::nullopt, "cannot read " + path + ": " + bytes.error().message};
    }
  }
  auto listing = host.list_dir(kTablesDir);
  if (listing.ok()) return {std::nullopt, ""};
  if (listing.error().kind == ErrorKind::kPermissionDenied) {
    return {std::nullopt, std::string(kTablesDir) + " is readable only by root: run ptdoctor as root"};
  }
  return {std::nullopt, std::string(kTablesDir) + " is missing: this system (or snapshot) exposes no ACPI tables, "
                        "so whether the firmware describes an IOMMU is unknown"};
}

}  // namespace ptdoctor::acpi
