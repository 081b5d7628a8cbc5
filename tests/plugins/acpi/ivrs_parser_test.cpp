// IVRS parser: IVinfo, the three IVHD types with every device entry kind expanded to ranges, IVMD, and the
// malformed inputs it must survive.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ivrs_parser.hpp"
#include "table_builder.hpp"

namespace ptdoctor::acpi {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::ivrs_builder;
using testing::TableBuilder;

// IVHD block header (type 0x10: 24 bytes; 0x11/0x40: 40 bytes) for `entries` bytes of device entries.
void ivhd(TableBuilder& builder, std::uint8_t type, const std::string& entries, std::uint16_t segment = 0) {
  const std::size_t header = type == 0x10 ? 24 : 40;
  builder.u8(type).u8(0xb0).u16(header + entries.size()).u16(0x0002);
  builder.u16(0x40).u64(0xfd200000).u16(segment).u16(0).u32(0x00040200);
  if (type != 0x10) builder.u64(0x246577efa2254afaULL).u64(type == 0x40 ? 0x5 : 0);
  builder.raw(entries);
}

std::string entry4(std::uint8_t type, std::uint16_t id, std::uint8_t data = 0) {
  return std::string{static_cast<char>(type), static_cast<char>(id & 0xff), static_cast<char>(id >> 8),
                     static_cast<char>(data)};
}

std::string entry8(std::uint8_t type, std::uint16_t id, std::uint8_t data, std::uint32_t extra) {
  std::string bytes = entry4(type, id, data);
  for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<char>((extra >> (8 * i)) & 0xff));
  return bytes;
}

// Alias entries: byte 4 reserved, source id at +5.
std::string alias_entry(std::uint8_t type, std::uint16_t id, std::uint16_t source) {
  return entry8(type, id, 0, static_cast<std::uint32_t>(source) << 8);
}

TEST(IvrsParser, ReadsIvinfoBits) {
  const IvrsTable table = parse_ivrs(ivrs_builder(0x00203041).finish());
  EXPECT_TRUE(table.prelude.checksum_ok);
  EXPECT_TRUE(table.efr_sup());
  EXPECT_FALSE(table.preboot_dma_remap());
  EXPECT_EQ(table.pa_size(), 0x30u);
  EXPECT_EQ(table.va_size(), 0x40u);
  EXPECT_EQ(table.gva_size(), 2u);
  EXPECT_THAT(table.errors, IsEmpty());
  EXPECT_THAT(table.warnings, IsEmpty());
}

TEST(IvrsParser, ReadsIvhd10WithSelectRangeAndSpecial) {
  TableBuilder builder = ivrs_builder();
  ivhd(builder, 0x10, entry4(2, 0x0000) + entry4(3, 0x0008) + entry4(4, 0xfffe) + entry8(0x48, 0, 0xd7, 0x0100a021));
  const IvrsTable table = parse_ivrs(builder.finish());
  ASSERT_EQ(table.ivhd.size(), 1u);
  const Ivhd& unit = table.ivhd[0];
  EXPECT_EQ(unit.type, 0x10);
  EXPECT_EQ(unit.base, 0xfd200000u);
  EXPECT_EQ(unit.device_id, 0x0002);
  EXPECT_FALSE(unit.efr.has_value());
  ASSERT_EQ(unit.ranges.size(), 2u);
  EXPECT_EQ(unit.ranges[0].kind, "select");
  EXPECT_EQ(unit.ranges[0].first, 0);
  EXPECT_EQ(unit.ranges[1].kind, "range");
  EXPECT_EQ(unit.ranges[1].first, 0x0008);
  EXPECT_EQ(unit.ranges[1].last, 0xfffe);
  ASSERT_EQ(unit.special.size(), 1u);
  EXPECT_EQ(unit.special[0].variety, 1);
  EXPECT_EQ(unit.special[0].handle, 0x21);
  EXPECT_EQ(unit.special[0].device_id, 0x00a0);
  EXPECT_THAT(table.errors, IsEmpty());
}

TEST(IvrsParser, ReadsIvhd11AllAndIvhd40Efr2) {
  TableBuilder builder = ivrs_builder();
  ivhd(builder, 0x11, entry4(1, 0) + entry4(0, 0) + entry8(0x40, 0, 0, 0));
  ivhd(builder, 0x40, entry4(1, 0));
  const IvrsTable table = parse_ivrs(builder.finish());
  ASSERT_EQ(table.ivhd.size(), 2u);
  EXPECT_EQ(table.ivhd[0].efr, 0x246577efa2254afaULL);
  ASSERT_EQ(table.ivhd[0].ranges.size(), 1u);  // padding entries add nothing
  EXPECT_EQ(table.ivhd[0].ranges[0].kind, "all");
  EXPECT_EQ(table.ivhd[0].ranges[0].first, 0);
  EXPECT_EQ(table.ivhd[0].ranges[0].last, 0xffff);
  EXPECT_EQ(table.ivhd[1].type, 0x40);
  EXPECT_EQ(table.ivhd[1].efr2, 0x5u);
  EXPECT_THAT(table.errors, IsEmpty());
}

TEST(IvrsParser, ExpandsAliasAndExtendedEntries) {
  TableBuilder builder = ivrs_builder();
  ivhd(builder, 0x11, alias_entry(0x42, 0x0100, 0x00a4) + alias_entry(0x43, 0xff00, 0x00a5) + entry4(4, 0xffff) +
                          entry8(0x46, 0x0200, 0, 0x80000000) + entry8(0x47, 0x0300, 0, 1) + entry4(4, 0x03ff));
  const IvrsTable table = parse_ivrs(builder.finish());
  ASSERT_EQ(table.ivhd.size(), 1u);
  const auto& ranges = table.ivhd[0].ranges;
  ASSERT_EQ(ranges.size(), 4u);
  EXPECT_EQ(ranges[0].kind, "alias_select");
  EXPECT_EQ(ranges[0].alias, 0x00a4);
  EXPECT_EQ(ranges[1].kind, "alias_range");
  EXPECT_EQ(ranges[1].first, 0xff00);
  EXPECT_EQ(ranges[1].last, 0xffff);
  EXPECT_EQ(ranges[1].alias, 0x00a5);
  EXPECT_EQ(ranges[2].kind, "ext_select");
  EXPECT_EQ(ranges[2].ext_data, 0x80000000u);
  EXPECT_EQ(ranges[3].kind, "ext_range");
  EXPECT_EQ(ranges[3].last, 0x03ff);
  EXPECT_THAT(table.errors, IsEmpty());
}

TEST(IvrsParser, ReadsVariableLengthAcpiHidEntry) {
  std::string hid = entry4(0xf0, 0x00a5, 0x40) + "AMDI0020" + std::string(8, '\0') + '\x02' + '\x09' + "\\_SB.FUR0";
  TableBuilder builder = ivrs_builder();
  ivhd(builder, 0x11, hid + entry4(2, 0x0010));
  const IvrsTable table = parse_ivrs(builder.finish());
  ASSERT_EQ(table.ivhd.size(), 1u);
  ASSERT_EQ(table.ivhd[0].acpi_hid.size(), 1u);
  EXPECT_EQ(table.ivhd[0].acpi_hid[0].hid, "AMDI0020");
  EXPECT_EQ(table.ivhd[0].acpi_hid[0].uid, "\\_SB.FUR0");
  EXPECT_EQ(table.ivhd[0].acpi_hid[0].device_id, 0x00a5);
  ASSERT_EQ(table.ivhd[0].ranges.size(), 1u);  // the entry after it is found through the UID length
  EXPECT_EQ(table.ivhd[0].ranges[0].first, 0x0010);
  EXPECT_THAT(table.errors, IsEmpty());
}

TEST(IvrsParser, AcpiHidEntryPastIvhdEndStops) {
  std::string hid = entry4(0xf0, 0x00a5, 0x40) + "AMDI0020" + std::string(8, '\0') + '\x02' + '\x40' + "x";
  TableBuilder builder = ivrs_builder();
  ivhd(builder, 0x11, hid);
  const IvrsTable table = parse_ivrs(builder.finish());
  EXPECT_TRUE(table.ivhd[0].acpi_hid.empty());
  EXPECT_THAT(table.errors, ElementsAre(HasSubstr("offset 0x58: IVHD device entry type 0xf0 (86 bytes) runs past the "
                                                  "end of its IVHD (23 bytes left)")));
}

TEST(IvrsParser, UnknownSizeEntryStopsTheIvhdUnknownSmallEntryIsSkipped) {
  TableBuilder builder = ivrs_builder();
  ivhd(builder, 0x11, entry4(0x05, 0) + entry4(2, 0x0010) + entry4(0x80, 0) + entry4(2, 0x0018));
  const IvrsTable table = parse_ivrs(builder.finish());
  ASSERT_EQ(table.ivhd[0].ranges.size(), 1u);
  EXPECT_EQ(table.ivhd[0].ranges[0].first, 0x0010);
  EXPECT_THAT(table.warnings, ElementsAre(HasSubstr("offset 0x58: IVHD device entry type 0x05 is unknown")));
  EXPECT_THAT(table.errors, ElementsAre(HasSubstr("offset 0x60: IVHD device entry type 0x80 has no known size")));
}

TEST(IvrsParser, UnbalancedRangesAreReported) {
  TableBuilder builder = ivrs_builder();
  ivhd(builder, 0x11, entry4(4, 0x0010) + entry4(3, 0x0020) + entry4(3, 0x0030) + entry4(4, 0x0028) +
                          entry4(3, 0x0040));
  const IvrsTable table = parse_ivrs(builder.finish());
  EXPECT_TRUE(table.ivhd[0].ranges.empty());
  EXPECT_THAT(table.errors,
              ElementsAre(HasSubstr("offset 0x58: IVHD range END without a preceding start entry"),
                          HasSubstr("offset 0x5c: IVHD range start is followed by another start"),
                          HasSubstr("offset 0x64: IVHD range END 0000:00:05.0 lies before its start 0000:00:06.0"),
                          HasSubstr("offset 0x68: IVHD range start has no END entry")));
}

TEST(IvrsParser, ReadsIvmdOfAllThreeKinds) {
  TableBuilder builder = ivrs_builder();
  builder.u8(0x20).u8(0x08).u16(32).u16(0).u16(0).u64(0).u64(0xdc000000).u64(0x1000);
  builder.u8(0x21).u8(0x07).u16(32).u16(0x0a03).u16(0).u64(0).u64(0xdd000000).u64(0x2000);
  builder.u8(0x22).u8(0x03).u16(32).u16(0x0100).u16(0x01ff).u64(0).u64(0xde000000).u64(0x3000);
  const IvrsTable table = parse_ivrs(builder.finish());
  ASSERT_EQ(table.ivmd.size(), 3u);
  EXPECT_EQ(table.ivmd[0].first, 0);
  EXPECT_EQ(table.ivmd[0].last, 0xffff);
  EXPECT_EQ(table.ivmd[0].flags, 0x08);
  EXPECT_EQ(table.ivmd[1].first, 0x0a03);
  EXPECT_EQ(table.ivmd[1].last, 0x0a03);
  EXPECT_EQ(table.ivmd[1].start, 0xdd000000u);
  EXPECT_EQ(table.ivmd[1].length, 0x2000u);
  EXPECT_EQ(table.ivmd[2].first, 0x0100);
  EXPECT_EQ(table.ivmd[2].last, 0x01ff);
  EXPECT_THAT(table.errors, IsEmpty());
}

TEST(IvrsParser, UnknownBlockSkippedZeroLengthStops) {
  TableBuilder builder = ivrs_builder();
  builder.u8(0x30).u8(0).u16(12).u16(0).u16(0).u32(0);
  builder.u8(0x21).u8(0x07).u16(32).u16(0x0a03).u16(0).u64(0).u64(0xdd000000).u64(0x2000);
  builder.u8(0x21).u8(0x07).u16(0).u16(0);
  builder.u8(0x21).u8(0x07).u16(32).u16(0x0a03).u16(0).u64(0).u64(0xdd000000).u64(0x2000);
  const IvrsTable table = parse_ivrs(builder.finish());
  ASSERT_EQ(table.unknown.size(), 1u);
  EXPECT_EQ(table.unknown[0].type, 0x30);
  EXPECT_EQ(table.ivmd.size(), 1u);
  EXPECT_THAT(table.warnings, ElementsAre(HasSubstr("offset 0x30: IVRS block type 0x30 (length 12) is unknown")));
  EXPECT_THAT(table.errors, ElementsAre("IVRS: offset 0x5c: IVRS block length 0 (type 0x21); parsing stopped here, "
                                        "later blocks were not read"));
}

TEST(IvrsParser, ShortIvhdIsSkippedAndBlockPastEndStops) {
  TableBuilder builder = ivrs_builder();
  builder.u8(0x11).u8(0).u16(24).u16(0).u16(0).u64(0).u64(0);
  builder.u8(0x10).u8(0).u16(200).u16(0).u16(0);
  const IvrsTable table = parse_ivrs(builder.finish());
  EXPECT_TRUE(table.ivhd.empty());
  EXPECT_THAT(table.errors, ElementsAre(HasSubstr("offset 0x30: IVRS block type 0x11 length 24 is shorter than its "
                                                  "40-byte header; skipped"),
                                        HasSubstr("offset 0x48: IVRS block type 0x10 length 200 runs past the end")));
}

TEST(IvrsParser, RevisionOtherThanOneOrTwoIsAWarning) {
  TableBuilder builder = ivrs_builder(0, 3);
  const IvrsTable table = parse_ivrs(builder.finish());
  EXPECT_THAT(table.warnings, ElementsAre(HasSubstr("IVRS: offset 0x8: IVRS revision 3 is neither 1")));
}

TEST(IvrsParser, NewIvhdTypeInRevisionOneIsAWarning) {
  TableBuilder builder = ivrs_builder(0, 1);
  ivhd(builder, 0x11, entry4(1, 0));
  const IvrsTable table = parse_ivrs(builder.finish());
  EXPECT_EQ(table.ivhd.size(), 1u);
  EXPECT_THAT(table.warnings, ElementsAre(HasSubstr("IVHD type 0x11 in a revision 1 IVRS")));
}

TEST(IvrsParser, ReservedBitsAreWarnings) {
  TableBuilder builder = ivrs_builder(0x80203045);
  builder.u8(0x21).u8(0x17).u16(32).u16(0x0a03).u16(0).u64(0).u64(0xdd000000).u64(0x2000);
  const IvrsTable table = parse_ivrs(builder.finish());
  EXPECT_THAT(table.warnings, ElementsAre("IVRS: offset 0x24: IVinfo 0x80203045 has reserved bits set (0x80000004)",
                                          "IVRS: offset 0x30: IVMD flags 0x17 have reserved bits 4-7 set"));
}

TEST(IvrsParser, GarbageNeverCrashes) {
  std::string garbage = "IVRS";
  for (int i = 0; i < 300; ++i) garbage.push_back(static_cast<char>((i * 131 + 7) & 0xff));
  const IvrsTable table = parse_ivrs(garbage);
  EXPECT_FALSE(table.errors.empty());
}

TEST(DeviceIdBdf, SplitsBusDeviceFunction) {
  EXPECT_EQ(device_id_bdf(0, 0x0a03), "0000:0a:00.3");
  EXPECT_EQ(device_id_bdf(1, 0x00a5), "0001:00:14.5");
  EXPECT_EQ(device_id_bdf(0xffff, 0xffff), "ffff:ff:1f.7");
}

}  // namespace
}  // namespace ptdoctor::acpi
