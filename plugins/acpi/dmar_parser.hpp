#pragma once
// The DMA Remapping table (Intel VT-d spec ch. 8; ACPICA actbl1.h), parsed into plain values. Pure: no host
// access, so the fuzz target and the unit tests link this alone. Scope paths stay raw here; scope_resolver turns
// them into BDFs against the host's PCI config space.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "acpi_header.hpp"

namespace ptdoctor::acpi {

struct PciHop {
  std::uint8_t device = 0;
  std::uint8_t function = 0;
};

enum class ScopeType : std::uint8_t { kEndpoint = 1, kBridge = 2, kIoapic = 3, kHpet = 4, kNamespace = 5 };

struct DeviceScope {
  std::size_t offset = 0;
  std::uint8_t type = 0;
  std::uint8_t enumeration_id = 0;
  std::uint8_t start_bus = 0;
  std::vector<PciHop> path;
};

// "endpoint", "bridge", "ioapic", "hpet", "namespace" or "unknown".
const char* scope_type_name(std::uint8_t type);

struct Drhd {
  std::size_t offset = 0;
  std::uint8_t flags = 0;  // bit0 INCLUDE_PCI_ALL
  std::uint8_t size = 0;   // register set size: 2^size 4 KiB pages (VT-d 3.x)
  std::uint16_t segment = 0;
  std::uint64_t base = 0;
  std::vector<DeviceScope> scopes;
  bool include_pci_all() const { return (flags & 1) != 0; }
};

struct Rmrr {
  std::size_t offset = 0;
  std::uint16_t segment = 0;
  std::uint64_t base = 0;
  std::uint64_t limit = 0;  // inclusive
  std::vector<DeviceScope> scopes;
};

struct Atsr {
  std::size_t offset = 0;
  std::uint8_t flags = 0;  // bit0 ALL_PORTS
  std::uint16_t segment = 0;
  std::vector<DeviceScope> scopes;
};

struct Rhsa {
  std::size_t offset = 0;
  std::uint64_t base = 0;
  std::uint32_t proximity_domain = 0;
};

struct Andd {
  std::size_t offset = 0;
  std::uint8_t device_number = 0;
  std::string object_name;
};

struct Satc {
  std::size_t offset = 0;
  std::uint8_t flags = 0;  // bit0 ATC_REQUIRED
  std::uint16_t segment = 0;
  std::vector<DeviceScope> scopes;
};

struct DmarTable {
  TablePrelude prelude;
  unsigned host_address_width = 0;      // bits: the table stores N for N+1 bits
  std::uint8_t flags = 0;               // bit0 INTR_REMAP, bit1 X2APIC_OPT_OUT, bit2 DMA_CTRL_PLATFORM_OPT_IN
  std::vector<Drhd> drhd;
  std::vector<Rmrr> rmrr;
  std::vector<Atsr> atsr;
  std::vector<Rhsa> rhsa;
  std::vector<Andd> andd;
  std::vector<Satc> satc;
  std::vector<UnknownSubtable> unknown;
  std::vector<std::string> errors;    // malformed input: what was read is kept, parsing stopped or skipped
  std::vector<std::string> warnings;  // well-formed but questionable (validate_dmar)
};

// Parses the table bytes; `label` names it in messages ("DMAR", or "RMAD" when Xen renamed it in dom0).
DmarTable parse_dmar(std::string_view bytes, std::string_view label = "DMAR");

// The checks firmware test suites make (REFERENCE §10) that need nothing but the table: DRHD base alignment, one
// INCLUDE_PCI_ALL DRHD per segment and last in it, RMRR alignment and order, overlapping RMRRs. Appends to
// table.warnings.
void validate_dmar(DmarTable& table, std::string_view label = "DMAR");

}  // namespace ptdoctor::acpi
