#include "dmar_parser.hpp"

#include <algorithm>
#include <map>

#include "byte_cursor.hpp"

namespace ptdoctor::acpi {
namespace {

constexpr std::size_t kDmarFixedSize = 48;
constexpr std::size_t kScopeHeaderSize = 6;

const char* structure_name(std::uint16_t type) {
  switch (type) {
    case 0: return "DRHD";
    case 1: return "RMRR";
    case 2: return "ATSR";
    case 3: return "RHSA";
    case 4: return "ANDD";
    case 5: return "SATC";
    default: return "unknown";
  }
}

// Fixed part of each remapping structure before its device scopes (or its name, for ANDD).
std::size_t fixed_size(std::uint16_t type) {
  switch (type) {
    case 0: return 16;
    case 1: return 24;
    case 2: return 8;
    case 3: return 20;
    case 4: return 8;
    case 5: return 8;
    default: return 4;
  }
}

// Device scopes fill [begin, end) of their parent structure; a scope that claims more than its parent holds is
// reported and ends the list, because everything after it would be misaligned.
std::vector<DeviceScope> parse_scopes(const ByteCursor& cursor, std::size_t begin, std::size_t end,
                                      std::string_view label, std::vector<std::string>& errors) {
  std::vector<DeviceScope> scopes;
  std::size_t pos = begin;
  while (pos < end) {
    if (end - pos < kScopeHeaderSize) {
      errors.push_back(at_offset(label, pos, std::to_string(end - pos) +
          " bytes left in the structure, too few for a 6-byte device scope; ignored"));
      break;
    }
    const std::uint8_t length = cursor.u8_or0(pos + 1);
    if (length < kScopeHeaderSize) {
      errors.push_back(at_offset(label, pos, "device scope length " + std::to_string(length) +
          " is below the minimum of 6; the rest of this structure's scopes were not read"));
      break;
    }
    if (length > end - pos) {
      errors.push_back(at_offset(label, pos, "device scope length " + std::to_string(length) +
          " runs past the end of its structure (" + std::to_string(end - pos) +
          " bytes left); the rest of this structure's scopes were not read"));
      break;
    }
    DeviceScope scope;
    scope.offset = pos;
    scope.type = cursor.u8_or0(pos);
    scope.enumeration_id = cursor.u8_or0(pos + 4);
    scope.start_bus = cursor.u8_or0(pos + 5);
    if ((length - kScopeHeaderSize) % 2 != 0) {
      errors.push_back(at_offset(label, pos, "device scope length " + std::to_string(length) +
          " leaves half a path entry (6 + 2*N expected); the odd byte was ignored"));
    }
    for (std::size_t hop = pos + kScopeHeaderSize; hop + 2 <= pos + length; hop += 2) {
      scope.path.push_back(PciHop{cursor.u8_or0(hop), cursor.u8_or0(hop + 1)});
    }
    if (scope.path.empty()) {
      errors.push_back(at_offset(label, pos, "device scope has no path entry; it names no device"));
    }
    scopes.push_back(std::move(scope));
    pos += length;
  }
  return scopes;
}

}  // namespace

const char* scope_type_name(std::uint8_t type) {
  switch (type) {
    case 1: return "endpoint";
    case 2: return "bridge";
    case 3: return "ioapic";
    case 4: return "hpet";
    case 5: return "namespace";
    default: return "unknown";
  }
}

DmarTable parse_dmar(std::string_view bytes, std::string_view label) {
  DmarTable table;
  table.prelude = read_prelude(bytes, label, kDmarFixedSize, table.errors);
  if (!table.prelude.header_ok) return table;
  const ByteCursor cursor(table.prelude.table);
  table.host_address_width = cursor.u8_or0(36) + 1u;
  table.flags = cursor.u8_or0(37);

  std::size_t pos = kDmarFixedSize;
  while (pos < cursor.size()) {
    if (!cursor.has(pos, 4)) {
      table.errors.push_back(at_offset(label, pos, std::to_string(cursor.size() - pos) +
          " stray bytes after the last remapping structure; ignored"));
      break;
    }
    const std::uint16_t type = cursor.u16_or0(pos);
    const std::uint16_t length = cursor.u16_or0(pos + 2);
    const std::string name = structure_name(type);
    if (length == 0) {
      // Every later structure is found through this length: with 0 the walk cannot go on (and would loop).
      table.errors.push_back(at_offset(label, pos, "remapping structure length 0 (type " + std::to_string(type) +
          " " + name + "); parsing stopped here, later structures were not read"));
      break;
    }
    if (!cursor.has(pos, length)) {
      table.errors.push_back(at_offset(label, pos, name + " length " + std::to_string(length) +
          " runs past the end of the table (" + std::to_string(cursor.size() - pos) +
          " bytes left); parsing stopped here"));
      break;
    }
    if (length < fixed_size(type)) {
      table.errors.push_back(at_offset(label, pos, name + " length " + std::to_string(length) +
          " is shorter than its " + std::to_string(fixed_size(type)) + "-byte fixed part; structure skipped"));
      pos += length;
      continue;
    }
    const std::size_t end = pos + length;
    switch (type) {
      case 0: {
        Drhd drhd{pos, cursor.u8_or0(pos + 4), cursor.u8_or0(pos + 5), cursor.u16_or0(pos + 6),
                  cursor.u64_or0(pos + 8), parse_scopes(cursor, pos + 16, end, label, table.errors)};
        table.drhd.push_back(std::move(drhd));
        break;
      }
      case 1: {
        Rmrr rmrr{pos, cursor.u16_or0(pos + 6), cursor.u64_or0(pos + 8), cursor.u64_or0(pos + 16),
                  parse_scopes(cursor, pos + 24, end, label, table.errors)};
        table.rmrr.push_back(std::move(rmrr));
        break;
      }
      case 2: {
        Atsr atsr{pos, cursor.u8_or0(pos + 4), cursor.u16_or0(pos + 6),
                  parse_scopes(cursor, pos + 8, end, label, table.errors)};
        table.atsr.push_back(std::move(atsr));
        break;
      }
      case 3:
        table.rhsa.push_back(Rhsa{pos, cursor.u64_or0(pos + 8), cursor.u32_or0(pos + 16)});
        break;
      case 4: {
        std::string_view name_bytes = cursor.bytes(pos + 8, length - 8).value_or("");
        const auto nul = name_bytes.find('\0');
        if (nul == std::string_view::npos) {
          table.errors.push_back(at_offset(label, pos, "ANDD object name is not NUL-terminated; kept as read"));
        } else {
          name_bytes = name_bytes.substr(0, nul);
        }
        table.andd.push_back(Andd{pos, cursor.u8_or0(pos + 7), printable(name_bytes)});
        break;
      }
      case 5: {
        Satc satc{pos, cursor.u8_or0(pos + 4), cursor.u16_or0(pos + 6),
                  parse_scopes(cursor, pos + 8, end, label, table.errors)};
        table.satc.push_back(std::move(satc));
        break;
      }
      default:
        table.unknown.push_back(UnknownSubtable{pos, type, length});
        table.warnings.push_back(at_offset(label, pos, "remapping structure type " + std::to_string(type) +
            " (length " + std::to_string(length) + ") is unknown to ptdoctor; skipped"));
        break;
    }
    pos = end;
  }
  return table;
}

void validate_dmar(DmarTable& table, std::string_view label) {
  constexpr std::uint64_t kPageMask = 0xfff;
  std::vector<std::string>& warnings = table.warnings;
  // Linux and Xen both expect the INCLUDE_PCI_ALL unit to be the last DRHD of its segment: units are matched in
  // table order and the catch-all must come after the specific ones. One pass with a map per segment, so a
  // hostile table of many thousand units costs linear time.
  std::map<std::uint16_t, std::size_t> catch_all_offset;
  for (const Drhd& drhd : table.drhd) {
    if (drhd.base == 0) {
      warnings.push_back(at_offset(label, drhd.offset, "DRHD register base address is 0: the firmware did not "
          "fill it in, and Xen/Linux disable the IOMMU for such a table; update the firmware"));
    } else if ((drhd.base & kPageMask) != 0) {
      warnings.push_back(at_offset(label, drhd.offset, "DRHD register base " + hex(drhd.base) +
          " is not 4 KiB aligned (VT-d spec 8.3)"));
    }
    const auto first = catch_all_offset.find(drhd.segment);
    if (first == catch_all_offset.end()) {
      if (drhd.include_pci_all()) catch_all_offset.emplace(drhd.segment, drhd.offset);
    } else if (drhd.include_pci_all()) {
      warnings.push_back(at_offset(label, drhd.offset, "second DRHD with INCLUDE_PCI_ALL for segment " +
          std::to_string(drhd.segment) + " (the first is at offset " + hex(first->second) + "); only one is allowed"));
    } else {
      warnings.push_back(at_offset(label, drhd.offset, "DRHD for segment " + std::to_string(drhd.segment) +
          " follows the INCLUDE_PCI_ALL DRHD at offset " + hex(first->second) +
          "; the catch-all unit must be the last one of its segment"));
    }
  }
  std::vector<const Rmrr*> valid;
  for (const Rmrr& rmrr : table.rmrr) {
    if (rmrr.limit <= rmrr.base) {
      warnings.push_back(at_offset(label, rmrr.offset, "RMRR limit " + hex(rmrr.limit) +
          " is not above its base " + hex(rmrr.base) + "; Xen ignores such a region"));
      continue;
    }
    if ((rmrr.base & kPageMask) != 0 || ((rmrr.limit + 1) & kPageMask) != 0) {
      warnings.push_back(at_offset(label, rmrr.offset, "RMRR " + hex(rmrr.base) + "-" + hex(rmrr.limit) +
          " is not 4 KiB aligned (base and limit+1 must be)"));
    }
    valid.push_back(&rmrr);
  }
  // Overlaps by a sweep over the regions sorted by base: each is compared with the one reaching furthest so far.
  std::stable_sort(valid.begin(), valid.end(), [](const Rmrr* a, const Rmrr* b) { return a->base < b->base; });
  const Rmrr* reach = nullptr;
  for (const Rmrr* rmrr : valid) {
    if (reach != nullptr && rmrr->base <= reach->limit) {
      warnings.push_back(at_offset(label, rmrr->offset, "RMRR " + hex(rmrr->base) + "-" + hex(rmrr->limit) +
          " overlaps the RMRR at offset " + hex(reach->offset) + " (" + hex(reach->base) + "-" + hex(reach->limit) +
          ")"));
    }
    if (reach == nullptr || rmrr->limit > reach->limit) reach = rmrr;
  }
}

}  // namespace ptdoctor::acpi
