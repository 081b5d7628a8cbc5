#pragma once
// The I/O Virtualization Reporting Structure (AMD IOMMU spec ch. 5; ACPICA actbl2.h), parsed into plain values.
// Pure like the DMAR parser. IVHD device entries are expanded into device-id ranges, which is what a reader of
// the table wants to know: which devices does this IOMMU translate for.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "acpi_header.hpp"

namespace ptdoctor::acpi {

// A run of device ids (bus<<8 | dev<<3 | fn) that IVHD entries select, with the entry kind that selected them.
struct IvhdRange {
  std::size_t offset = 0;     // of the entry that opened the range
  std::string kind;           // "all", "select", "range", "alias_select", "alias_range", "ext_select", "ext_range"
  std::uint16_t first = 0;
  std::uint16_t last = 0;
  std::uint8_t data = 0;      // DTE setting byte
  std::optional<std::uint16_t> alias;     // requester id the devices are seen as (alias entries)
  std::optional<std::uint32_t> ext_data;  // extended entries
};

struct IvhdSpecial {
  std::size_t offset = 0;
  std::uint8_t variety = 0;   // 1 IOAPIC, 2 HPET
  std::uint8_t handle = 0;
  std::uint16_t device_id = 0;
  std::uint8_t data = 0;
};

struct IvhdAcpiHid {
  std::size_t offset = 0;
  std::uint16_t device_id = 0;
  std::uint8_t data = 0;
  std::string hid;
  std::string cid;
  std::string uid;
};

struct Ivhd {
  std::size_t offset = 0;
  std::uint8_t type = 0;       // 0x10, 0x11, 0x40
  std::uint8_t flags = 0;
  std::uint16_t device_id = 0;  // the IOMMU's own requester id
  std::uint16_t capability_offset = 0;
  std::uint64_t base = 0;
  std::uint16_t segment = 0;
  std::uint16_t info = 0;
  std::uint32_t feature_reporting = 0;  // type 0x10: IOMMU feature reporting; 0x11/0x40: attributes
  std::optional<std::uint64_t> efr;     // 0x11/0x40: EFR register image
  std::optional<std::uint64_t> efr2;    // 0x40: EFR2 register image
  std::vector<IvhdRange> ranges;
  std::vector<IvhdSpecial> special;
  std::vector<IvhdAcpiHid> acpi_hid;
};

struct Ivmd {
  std::size_t offset = 0;
  std::uint8_t type = 0;  // 0x20 all devices, 0x21 one device, 0x22 a range
  std::uint8_t flags = 0; // bit0 unity, bit1 read, bit2 write, bit3 exclusion range
  std::uint16_t first = 0;
  std::uint16_t last = 0;
  std::uint64_t start = 0;
  std::uint64_t length = 0;
};

struct IvrsTable {
  TablePrelude prelude;
  std::uint32_t ivinfo = 0;
  std::vector<Ivhd> ivhd;
  std::vector<Ivmd> ivmd;
  std::vector<UnknownSubtable> unknown;
  std::vector<std::string> errors;
  std::vector<std::string> warnings;

  bool efr_sup() const { return (ivinfo & 1) != 0; }
  bool preboot_dma_remap() const { return (ivinfo & 2) != 0; }
  unsigned gva_size() const { return (ivinfo >> 5) & 0x7; }
  unsigned pa_size() const { return (ivinfo >> 8) & 0x7f; }
  unsigned va_size() const { return (ivinfo >> 15) & 0x7f; }
};

IvrsTable parse_ivrs(std::string_view bytes, std::string_view label = "IVRS");

// "0000:00:14.0" from a segment and a device id.
std::string device_id_bdf(std::uint16_t segment, std::uint16_t device_id);

}  // namespace ptdoctor::acpi
