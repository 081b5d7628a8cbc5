// DMAR parser: every structure type, and every malformed input it must survive with a precise message.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "dmar_parser.hpp"
#include "table_builder.hpp"

namespace ptdoctor::acpi {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::dmar_builder;
using testing::dmar_scope;

// Remapping structure header + fields; `body` is everything after type and length.
std::string structure(std::uint16_t type, const std::string& body) {
  std::string bytes;
  const std::size_t length = 4 + body.size();
  bytes.push_back(static_cast<char>(type & 0xff));
  bytes.push_back(static_cast<char>(type >> 8));
  bytes.push_back(static_cast<char>(length & 0xff));
  bytes.push_back(static_cast<char>(length >> 8));
  return bytes + body;
}

std::string le(std::uint64_t value, int width) {
  std::string bytes;
  for (int i = 0; i < width; ++i) bytes.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  return bytes;
}

std::string drhd(std::uint8_t flags, std::uint16_t segment, std::uint64_t base, const std::string& scopes = "") {
  return structure(0, le(flags, 1) + le(0, 1) + le(segment, 2) + le(base, 8) + scopes);
}

std::string rmrr(std::uint16_t segment, std::uint64_t base, std::uint64_t limit, const std::string& scopes = "") {
  return structure(1, le(0, 2) + le(segment, 2) + le(base, 8) + le(limit, 8) + scopes);
}

TEST(DmarParser, ReadsHeaderWidthAndFlags) {
  const DmarTable table = parse_dmar(dmar_builder(0x26, 0x07).finish());
  EXPECT_TRUE(table.prelude.header_ok);
  EXPECT_TRUE(table.prelude.checksum_ok);
  EXPECT_EQ(table.prelude.header.signature, "DMAR");
  EXPECT_EQ(table.prelude.header.oem_id, "PTDOCT");
  EXPECT_EQ(table.host_address_width, 39);  // stored as N for N+1 bits
  EXPECT_EQ(table.flags, 0x07);
  EXPECT_THAT(table.errors, IsEmpty());
}

TEST(DmarParser, ReadsDrhdWithScopes) {
  const std::string scopes = dmar_scope(1, 0, {{2, 0}}) + dmar_scope(3, 0xf0, {{0x1f, 0}}, 8);
  const DmarTable table = parse_dmar(dmar_builder().raw(drhd(1, 0, 0xfed90000, scopes)).finish());
  ASSERT_EQ(table.drhd.size(), 1u);
  const Drhd& unit = table.drhd[0];
  EXPECT_EQ(unit.offset, 48u);
  EXPECT_TRUE(unit.include_pci_all());
  EXPECT_EQ(unit.base, 0xfed90000u);
  ASSERT_EQ(unit.scopes.size(), 2u);
  EXPECT_EQ(unit.scopes[0].type, 1);
  EXPECT_EQ(unit.scopes[0].offset, 64u);
  ASSERT_EQ(unit.scopes[0].path.size(), 1u);
  EXPECT_EQ(unit.scopes[0].path[0].device, 2);
  EXPECT_EQ(unit.scopes[1].type, 3);
  EXPECT_EQ(unit.scopes[1].enumeration_id, 8);
  EXPECT_EQ(unit.scopes[1].start_bus, 0xf0);
  EXPECT_THAT(table.errors, IsEmpty());
}

TEST(DmarParser, ReadsRmrrWithMultiHopScope) {
  const std::string scopes = dmar_scope(1, 0, {{3, 0}, {0, 1}});
  const DmarTable table = parse_dmar(dmar_builder().raw(rmrr(1, 0xbf7ec000, 0xbf7fffff, scopes)).finish());
  ASSERT_EQ(table.rmrr.size(), 1u);
  EXPECT_EQ(table.rmrr[0].segment, 1);
  EXPECT_EQ(table.rmrr[0].base, 0xbf7ec000u);
  EXPECT_EQ(table.rmrr[0].limit, 0xbf7fffffu);
  ASSERT_EQ(table.rmrr[0].scopes.size(), 1u);
  ASSERT_EQ(table.rmrr[0].scopes[0].path.size(), 2u);
  EXPECT_EQ(table.rmrr[0].scopes[0].path[1].function, 1);
}

TEST(DmarParser, ReadsAtsrRhsaAnddSatc) {
  const std::string atsr = structure(2, le(1, 1) + le(0, 1) + le(2, 2) + dmar_scope(2, 0, {{3, 0}}));
  const std::string rhsa = structure(3, le(0, 4) + le(0xc5ffc000, 8) + le(7, 4));
  const std::string andd = structure(4, std::string(3, '\0') + le(1, 1) + std::string("\\_SB.PCI0.UAR0\0", 15));
  const std::string satc = structure(5, le(1, 1) + le(0, 1) + le(0, 2) + dmar_scope(1, 0, {{2, 0}}));
  const DmarTable table = parse_dmar(dmar_builder().raw(atsr).raw(rhsa).raw(andd).raw(satc).finish());
  ASSERT_EQ(table.atsr.size(), 1u);
  EXPECT_EQ(table.atsr[0].flags, 1);
  EXPECT_EQ(table.atsr[0].segment, 2);
  EXPECT_EQ(table.atsr[0].scopes.size(), 1u);
  ASSERT_EQ(table.rhsa.size(), 1u);
  EXPECT_EQ(table.rhsa[0].base, 0xc5ffc000u);
  EXPECT_EQ(table.rhsa[0].proximity_domain, 7u);
  ASSERT_EQ(table.andd.size(), 1u);
  EXPECT_EQ(table.andd[0].device_number, 1);
  EXPECT_EQ(table.andd[0].object_name, "\\_SB.PCI0.UAR0");
  ASSERT_EQ(table.satc.size(), 1u);
  EXPECT_EQ(table.satc[0].flags, 1);
  EXPECT_EQ(table.satc[0].scopes.size(), 1u);
  EXPECT_THAT(table.errors, IsEmpty());
}

TEST(DmarParser, SkipsUnknownStructureByLengthAndReportsIt) {
  const DmarTable table =
      parse_dmar(dmar_builder().raw(structure(9, std::string(8, 'x'))).raw(drhd(1, 0, 0xfed90000)).finish());
  ASSERT_EQ(table.unknown.size(), 1u);
  EXPECT_EQ(table.unknown[0].type, 9);
  EXPECT_EQ(table.unknown[0].length, 12);
  ASSERT_EQ(table.drhd.size(), 1u);  // parsing went on after it
  EXPECT_EQ(table.drhd[0].offset, 60u);
  EXPECT_THAT(table.warnings, ElementsAre("DMAR: offset 0x30: remapping structure type 9 (length 12) is unknown to "
                                          "ptdoctor; skipped"));
}

TEST(DmarParser, FileShorterThanHeaderParsesNothing) {
  const DmarTable table = parse_dmar(std::string("DMAR\x30\x00", 6));
  EXPECT_FALSE(table.prelude.header_ok);
  EXPECT_FALSE(table.prelude.checksum_ok);
  ASSERT_EQ(table.errors.size(), 1u);
  EXPECT_THAT(table.errors[0], HasSubstr("DMAR: offset 0x0: file is 6 bytes, shorter than the 36-byte"));
}

TEST(DmarParser, DeclaredLengthBelowFixedPartParsesNothing) {
  std::string bytes = dmar_builder().finish();
  bytes[4] = 40;  // length field
  const DmarTable table = parse_dmar(bytes);
  EXPECT_FALSE(table.prelude.header_ok);
  EXPECT_THAT(table.errors[0], HasSubstr("DMAR: offset 0x4: table length 40 is shorter than the 48-byte"));
}

TEST(DmarParser, LengthPastEndOfFileParsesWhatIsThere) {
  std::string bytes = dmar_builder().raw(drhd(1, 0, 0xfed90000)).finish();
  bytes[4] = static_cast<char>(0xff);  // claims 255 bytes, file has 64
  const DmarTable table = parse_dmar(bytes);
  EXPECT_FALSE(table.prelude.checksum_ok);
  EXPECT_EQ(table.drhd.size(), 1u);
  ASSERT_EQ(table.errors.size(), 1u);
  EXPECT_EQ(table.errors[0], "DMAR: offset 0x4: table length 255 runs past the end of the file (64 bytes); only the "
                             "bytes present were parsed (truncated copy?)");
}

TEST(DmarParser, BadChecksumIsReportedAndTableStillParsed) {
  std::string bytes = dmar_builder().raw(drhd(1, 0, 0xfed90000)).finish();
  bytes[9] = static_cast<char>(bytes[9] + 1);
  const DmarTable table = parse_dmar(bytes);
  EXPECT_FALSE(table.prelude.checksum_ok);
  EXPECT_EQ(table.drhd.size(), 1u);
  ASSERT_EQ(table.errors.size(), 1u);
  EXPECT_THAT(table.errors[0], HasSubstr("DMAR: offset 0x9: checksum mismatch: the table's bytes sum to 0x1 mod 256"));
}

TEST(DmarParser, ZeroLengthStructureStopsParsing) {
  const DmarTable table =
      parse_dmar(dmar_builder().raw(drhd(1, 0, 0xfed90000)).u16(1).u16(0).raw(drhd(0, 0, 0xfed91000)).finish());
  EXPECT_EQ(table.drhd.size(), 1u);  // the one after the zero-length structure is not read
  ASSERT_EQ(table.errors.size(), 1u);
  EXPECT_EQ(table.errors[0], "DMAR: offset 0x40: remapping structure length 0 (type 1 RMRR); parsing stopped here, "
                             "later structures were not read");
}

TEST(DmarParser, StructureRunningPastTableEndStops) {
  std::string body = le(1, 1) + le(0, 1) + le(0, 2) + le(0xfed90000, 8);
  std::string bytes = dmar_builder().u16(0).u16(64).raw(body).finish();
  const DmarTable table = parse_dmar(bytes);
  EXPECT_TRUE(table.drhd.empty());
  ASSERT_EQ(table.errors.size(), 1u);
  EXPECT_THAT(table.errors[0], HasSubstr("DMAR: offset 0x30: DRHD length 64 runs past the end of the table (16 "
                                         "bytes left)"));
}

TEST(DmarParser, StructureShorterThanFixedPartIsSkipped) {
  const DmarTable table = parse_dmar(dmar_builder().raw(structure(1, le(0, 4))).raw(drhd(1, 0, 0xfed90000)).finish());
  EXPECT_TRUE(table.rmrr.empty());
  EXPECT_EQ(table.drhd.size(), 1u);
  EXPECT_THAT(table.errors, ElementsAre(HasSubstr("offset 0x30: RMRR length 8 is shorter than its 24-byte fixed "
                                                  "part; structure skipped")));
}

TEST(DmarParser, ScopeLongerThanParentIsReportedAndDropped) {
  std::string scope = dmar_scope(1, 0, {{2, 0}});
  scope[1] = 16;  // claims 16 bytes, the DRHD holds 8 after its fixed part
  const DmarTable table = parse_dmar(dmar_builder().raw(drhd(0, 0, 0xfed90000, scope)).raw(drhd(1, 0, 0xfed91000))
                                         .finish());
  ASSERT_EQ(table.drhd.size(), 2u);  // the next structure is still found through the parent's length
  EXPECT_TRUE(table.drhd[0].scopes.empty());
  EXPECT_THAT(table.errors, ElementsAre("DMAR: offset 0x40: device scope length 16 runs past the end of its "
                                        "structure (8 bytes left); the rest of this structure's scopes were not "
                                        "read"));
}

TEST(DmarParser, ScopeShorterThanItsHeaderStopsScopes) {
  std::string scope = dmar_scope(1, 0, {{2, 0}});
  scope[1] = 0;  // would loop forever if trusted
  const DmarTable table = parse_dmar(dmar_builder().raw(drhd(0, 0, 0xfed90000, scope)).finish());
  ASSERT_EQ(table.drhd.size(), 1u);
  EXPECT_THAT(table.errors, ElementsAre(HasSubstr("offset 0x40: device scope length 0 is below the minimum of 6")));
}

TEST(DmarParser, ScopeWithOddLengthKeepsWholeHops) {
  std::string scope = dmar_scope(1, 0, {{2, 0}}) + "x";
  scope[1] = 9;
  const DmarTable table = parse_dmar(dmar_builder().raw(drhd(0, 0, 0xfed90000, scope)).finish());
  ASSERT_EQ(table.drhd[0].scopes.size(), 1u);
  EXPECT_EQ(table.drhd[0].scopes[0].path.size(), 1u);
  EXPECT_THAT(table.errors, ElementsAre(HasSubstr("leaves half a path entry")));
}

TEST(DmarParser, StrayBytesAfterLastStructureAreReported) {
  const DmarTable table = parse_dmar(dmar_builder().raw(drhd(1, 0, 0xfed90000)).u16(0).finish());
  EXPECT_EQ(table.drhd.size(), 1u);
  EXPECT_THAT(table.errors, ElementsAre("DMAR: offset 0x40: 2 stray bytes after the last remapping structure; "
                                        "ignored"));
}

TEST(DmarParser, AnddWithoutNulKeepsName) {
  const DmarTable table = parse_dmar(dmar_builder().raw(structure(4, std::string(3, '\0') + le(2, 1) + "\\_SB.X"))
                                         .finish());
  ASSERT_EQ(table.andd.size(), 1u);
  EXPECT_EQ(table.andd[0].object_name, "\\_SB.X");
  EXPECT_THAT(table.errors, ElementsAre(HasSubstr("ANDD object name is not NUL-terminated")));
}

TEST(DmarParser, LabelNamesTheRenamedTable) {
  std::string bytes = dmar_builder().u16(0).u16(0).finish();
  const DmarTable table = parse_dmar(bytes, "RMAD");
  EXPECT_THAT(table.errors, ElementsAre(HasSubstr("RMAD: offset 0x30: remapping structure length 0")));
}

TEST(DmarParser, WidestAddressWidthDoesNotWrap) {
  EXPECT_EQ(parse_dmar(dmar_builder(0xff, 0).finish()).host_address_width, 256u);
}

TEST(DmarValidate, ThousandsOfUnitsStayLinear) {
  // About as many DRHDs as the plugin's 1 MiB read limit admits: a quadratic check would take minutes here.
  auto builder = dmar_builder();
  for (int i = 0; i < 60000; ++i) builder.raw(drhd(1, 0, 0xfed90000));
  for (int i = 0; i < 2000; ++i) builder.raw(rmrr(0, 0x10000, 0x1ffff));
  DmarTable table = parse_dmar(builder.finish());
  ASSERT_EQ(table.drhd.size(), 60000u);
  validate_dmar(table);
  EXPECT_EQ(table.warnings.size(), 59999u + 1999u);  // one per later catch-all, one per overlapping region
}

TEST(DmarValidate, WellFormedTableHasNoWarnings) {
  DmarTable table = parse_dmar(dmar_builder().raw(drhd(0, 0, 0xfed90000, dmar_scope(1, 0, {{2, 0}})))
                                   .raw(drhd(1, 0, 0xfed91000)).raw(drhd(1, 1, 0xc5ffc000))
                                   .raw(rmrr(0, 0x7b7f6000, 0x7b815fff)).raw(rmrr(0, 0x7c000000, 0x803fffff))
                                   .finish());
  validate_dmar(table);
  EXPECT_THAT(table.warnings, IsEmpty());
}

TEST(DmarValidate, DrhdBaseMustBePageAlignedAndNonZero) {
  DmarTable table = parse_dmar(dmar_builder().raw(drhd(0, 0, 0xfed90800)).raw(drhd(1, 0, 0)).finish());
  validate_dmar(table);
  EXPECT_THAT(table.warnings, ElementsAre(HasSubstr("offset 0x30: DRHD register base 0xfed90800 is not 4 KiB aligned"),
                                          HasSubstr("offset 0x40: DRHD register base address is 0")));
}

TEST(DmarValidate, OneIncludePciAllPerSegmentAndItComesLast) {
  DmarTable table = parse_dmar(dmar_builder().raw(drhd(1, 0, 0xfed90000)).raw(drhd(0, 0, 0xfed91000))
                                   .raw(drhd(1, 0, 0xfed92000)).raw(drhd(1, 1, 0xfed93000)).finish());
  validate_dmar(table);
  EXPECT_THAT(table.warnings,
              ElementsAre(HasSubstr("offset 0x40: DRHD for segment 0 follows the INCLUDE_PCI_ALL DRHD at offset 0x30"),
                          HasSubstr("offset 0x50: second DRHD with INCLUDE_PCI_ALL for segment 0 (the first is at "
                                    "offset 0x30)")));
}

TEST(DmarValidate, RmrrAlignmentOrderAndOverlap) {
  DmarTable table = parse_dmar(dmar_builder().raw(rmrr(0, 0x1000, 0x0fff)).raw(rmrr(0, 0x2800, 0x3fff))
                                   .raw(rmrr(0, 0x10000, 0x1ffff)).raw(rmrr(1, 0x18000, 0x20fff)).finish());
  validate_dmar(table);
  EXPECT_THAT(table.warnings,
              ElementsAre(HasSubstr("offset 0x30: RMRR limit 0xfff is not above its base 0x1000"),
                          HasSubstr("offset 0x48: RMRR 0x2800-0x3fff is not 4 KiB aligned"),
                          HasSubstr("offset 0x78: RMRR 0x18000-0x20fff overlaps the RMRR at offset 0x60 "
                                    "(0x10000-0x1ffff)")));
}

}  // namespace
}  // namespace ptdoctor::acpi
