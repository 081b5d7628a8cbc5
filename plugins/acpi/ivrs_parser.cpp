#include "ivrs_parser.hpp"

#include <cstdio>

#include "byte_cursor.hpp"

namespace ptdoctor::acpi {
namespace {

constexpr std::size_t kIvrsFixedSize = 48;
constexpr std::size_t kBlockHeaderSize = 8;
constexpr std::size_t kIvmdSize = 32;
constexpr std::size_t kAcpiHidFixedSize = 22;

std::string hex8(unsigned value) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02x", value & 0xff);
  return buffer;
}

// Size of an IVHD device entry from its type: the top two bits give 4 or 8 bytes for types below 0x80; 0xF0
// (ACPI HID) carries its UID length at +21. Anything else cannot be stepped over safely.
std::optional<std::size_t> entry_size(const ByteCursor& cursor, std::size_t pos, std::size_t end) {
  const std::uint8_t type = cursor.u8_or0(pos);
  if (type < 0x80) return std::size_t{4} << (type >> 6);
  if (type == 0xf0) {
    if (end - pos < kAcpiHidFixedSize) return kAcpiHidFixedSize;  // caller reports it as running past the end
    return kAcpiHidFixedSize + cursor.u8_or0(pos + 21);
  }
  return std::nullopt;
}

class IvhdEntryWalker {
 public:
  IvhdEntryWalker(const ByteCursor& cursor, std::string_view label, IvrsTable& table, Ivhd& ivhd)
      : cursor_(cursor), label_(label), table_(table), ivhd_(ivhd) {}

  void walk(std::size_t pos, std::size_t end) {
    while (pos < end) {
      const std::uint8_t type = cursor_.u8_or0(pos);
      const auto size = entry_size(cursor_, pos, end);
      if (!size) {
        error(pos, "IVHD device entry type " + hex8(type) +
                   " has no known size; the rest of this IVHD's entries were not read");
        break;
      }
      if (*size > end - pos) {
        error(pos, "IVHD device entry type " + hex8(type) + " (" + std::to_string(*size) +
                   " bytes) runs past the end of its IVHD (" + std::to_string(end - pos) +
                   " bytes left); the rest of this IVHD's entries were not read");
        break;
      }
      entry(pos, type);
      pos += *size;
    }
    if (open_) {
      error(open_->offset, "IVHD range start has no END entry; the range was dropped");
    }
  }

 private:
  void error(std::size_t pos, const std::string& text) { table_.errors.push_back(at_offset(label_, pos, text)); }

  void entry(std::size_t pos, std::uint8_t type) {
    const std::uint16_t device_id = cursor_.u16_or0(pos + 1);
    const std::uint8_t data = cursor_.u8_or0(pos + 3);
    IvhdRange range{pos, "", device_id, device_id, data, std::nullopt, std::nullopt};
    switch (type) {
      case 0x00:
      case 0x40:
        return;  // padding
      case 0x01:
        range.kind = "all";
        range.first = 0;
        range.last = 0xffff;
        break;
      case 0x02:
        range.kind = "select";
        break;
      case 0x03:
        range.kind = "range";
        return open(std::move(range));
      case 0x04:
        return close(pos, device_id);
      case 0x42:
        range.kind = "alias_select";
        range.alias = cursor_.u16_or0(pos + 5);
        break;
      case 0x43:
        range.kind = "alias_range";
        range.alias = cursor_.u16_or0(pos + 5);
        return open(std::move(range));
      case 0x46:
        range.kind = "ext_select";
        range.ext_data = cursor_.u32_or0(pos + 4);
        break;
      case 0x47:
        range.kind = "ext_range";
        range.ext_data = cursor_.u32_or0(pos + 4);
        return open(std::move(range));
      case 0x48:
        ivhd_.special.push_back(IvhdSpecial{pos, cursor_.u8_or0(pos + 7), cursor_.u8_or0(pos + 4),
                                            cursor_.u16_or0(pos + 5), data});
        return;
      case 0xf0: {
        const std::size_t uid_length = cursor_.u8_or0(pos + 21);
        ivhd_.acpi_hid.push_back(IvhdAcpiHid{pos, device_id, data,
            printable(cursor_.bytes(pos + 4, 8).value_or("")), printable(cursor_.bytes(pos + 12, 8).value_or("")),
            printable(cursor_.bytes(pos + 22, uid_length).value_or(""))});
        return;
      }
      default:
        table_.warnings.push_back(at_offset(label_, pos, "IVHD device entry type " + hex8(type) +
                                                         " is unknown to ptdoctor; skipped"));
        return;
    }
    ivhd_.ranges.push_back(std::move(range));
  }

  void open(IvhdRange range) {
    if (open_) error(open_->offset, "IVHD range start is followed by another start before its END; dropped");
    open_ = std::move(range);
  }

  void close(std::size_t pos, std::uint16_t last) {
    if (!open_) {
      error(pos, "IVHD range END without a preceding start entry; ignored");
      return;
    }
    if (last < open_->first) {
      error(pos, "IVHD range END " + device_id_bdf(ivhd_.segment, last) + " lies before its start " +
                 device_id_bdf(ivhd_.segment, open_->first) + "; range dropped");
    } else {
      open_->last = last;
      ivhd_.ranges.push_back(std::move(*open_));
    }
    open_.reset();
  }

  const ByteCursor& cursor_;
  std::string_view label_;
  IvrsTable& table_;
  Ivhd& ivhd_;
  std::optional<IvhdRange> open_;
};

}  // namespace

std::string device_id_bdf(std::uint16_t segment, std::uint16_t device_id) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04x:%02x:%02x.%x", segment, device_id >> 8, (device_id >> 3) & 0x1f,
                device_id & 7);
  return buffer;
}

IvrsTable parse_ivrs(std::string_view bytes, std::string_view label) {
  IvrsTable table;
  table.prelude = read_prelude(bytes, label, kIvrsFixedSize, table.errors);
  if (!table.prelude.header_ok) return table;
  const ByteCursor cursor(table.prelude.table);
  table.ivinfo = cursor.u32_or0(36);
  const unsigned revision = table.prelude.header.revision;
  if (revision != 1 && revision != 2) {
    table.warnings.push_back(at_offset(label, 8, "IVRS revision " + std::to_string(revision) +
        " is neither 1 (IVHD type 0x10 only) nor 2 (types 0x11/0x40 too); blocks were read as revision 2"));
  }

  // IVinfo bits 2-4 and 23-31 are reserved (AMD IOMMU spec, IVRS header): set ones mean a newer layout or garbage.
  constexpr std::uint32_t kIvinfoReserved = 0xff80001c;
  if ((table.ivinfo & kIvinfoReserved) != 0) {
    table.warnings.push_back(at_offset(label, 36, "IVinfo " + hex(table.ivinfo) + " has reserved bits set (" +
        hex(table.ivinfo & kIvinfoReserved) + ")"));
  }

  std::size_t pos = kIvrsFixedSize;
  while (pos < cursor.size()) {
    if (!cursor.has(pos, 4)) {
      table.errors.push_back(at_offset(label, pos, std::to_string(cursor.size() - pos) +
          " stray bytes after the last IVRS block; ignored"));
      break;
    }
    const std::uint8_t type = cursor.u8_or0(pos);
    const std::uint16_t length = cursor.u16_or0(pos + 2);
    if (length == 0) {
      table.errors.push_back(at_offset(label, pos, "IVRS block length 0 (type " + hex8(type) +
          "); parsing stopped here, later blocks were not read"));
      break;
    }
    if (!cursor.has(pos, length)) {
      table.errors.push_back(at_offset(label, pos, "IVRS block type " + hex8(type) + " length " +
          std::to_string(length) + " runs past the end of the table (" + std::to_string(cursor.size() - pos) +
          " bytes left); parsing stopped here"));
      break;
    }
    const std::size_t end = pos + length;
    const bool is_ivhd = type == 0x10 || type == 0x11 || type == 0x40;
    const bool is_ivmd = type == 0x20 || type == 0x21 || type == 0x22;
    const std::size_t needed = type == 0x10 ? 24 : is_ivhd ? 40 : is_ivmd ? kIvmdSize : kBlockHeaderSize;
    if (length < needed) {
      table.errors.push_back(at_offset(label, pos, "IVRS block type " + hex8(type) + " length " +
          std::to_string(length) + " is shorter than its " + std::to_string(needed) + "-byte header; skipped"));
      pos = end;
      continue;
    }
    if (is_ivhd) {
      Ivhd ivhd;
      ivhd.offset = pos;
      ivhd.type = type;
      ivhd.flags = cursor.u8_or0(pos + 1);
      ivhd.device_id = cursor.u16_or0(pos + 4);
      ivhd.capability_offset = cursor.u16_or0(pos + 6);
      ivhd.base = cursor.u64_or0(pos + 8);
      ivhd.segment = cursor.u16_or0(pos + 16);
      ivhd.info = cursor.u16_or0(pos + 18);
      ivhd.feature_reporting = cursor.u32_or0(pos + 20);
      if (type != 0x10) ivhd.efr = cursor.u64_or0(pos + 24);
      if (type == 0x40) ivhd.efr2 = cursor.u64_or0(pos + 32);
      if (type != 0x10 && revision == 1) {
        table.warnings.push_back(at_offset(label, pos, "IVHD type " + hex8(type) +
            " in a revision 1 IVRS, which defines only type 0x10"));
      }
      IvhdEntryWalker(cursor, label, table, ivhd).walk(pos + needed, end);
      table.ivhd.push_back(std::move(ivhd));
    } else if (is_ivmd) {
      Ivmd ivmd{pos, type, cursor.u8_or0(pos + 1), cursor.u16_or0(pos + 4), cursor.u16_or0(pos + 4),
                cursor.u64_or0(pos + 16), cursor.u64_or0(pos + 24)};
      if (type == 0x20) {
        ivmd.first = 0;
        ivmd.last = 0xffff;
      } else if (type == 0x22) {
        ivmd.last = cursor.u16_or0(pos + 6);
      }
      if ((ivmd.flags & 0xf0) != 0) {
        table.warnings.push_back(at_offset(label, pos, "IVMD flags " + hex8(ivmd.flags) +
            " have reserved bits 4-7 set"));
      }
      if (ivmd.last < ivmd.first) {
        table.warnings.push_back(at_offset(label, pos, "IVMD device range ends (" +
            device_id_bdf(0, ivmd.last) + ") before it starts (" + device_id_bdf(0, ivmd.first) + ")"));
      }
      table.ivmd.push_back(ivmd);
    } else {
      table.unknown.push_back(UnknownSubtable{pos, type, length});
      table.warnings.push_back(at_offset(label, pos, "IVRS block type " + hex8(type) + " (length " +
          std::to_string(length) + ") is unknown to ptdoctor; skipped"));
    }
    pos = end;
  }
  return table;
}

}  // namespace ptdoctor::acpi
