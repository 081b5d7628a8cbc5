// The acpi plugin end to end on the generated fixture hosts (tests/fixtures/hostgen/acpi.py) and small temp trees.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plugin_harness.hpp"
#include "table_builder.hpp"
#include "temp_tree.hpp"
#include "unprivileged.hpp"

namespace ptdoctor::acpi {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ptdoctor::testing::fact;
using ptdoctor::testing::fixture_host;
using ptdoctor::testing::run_plugins;
using ptdoctor::testing::TempTree;

engine::Collection collect(const std::string& root) { return run_plugins({"acpi"}, root); }

std::vector<std::string> strings(const Json& list) {
  std::vector<std::string> out;
  for (const Json& item : list) out.push_back(item.is_string() ? item.get<std::string>() : item.dump());
  return out;
}

std::vector<std::string> diagnostics(const engine::Collection& collection) {
  std::vector<std::string> out;
  for (const Diagnostic& diagnostic : collection.diagnostics) out.push_back(diagnostic.message);
  return out;
}

TEST(AcpiPlugin, GuideIch10ReadsTheDmarXenRenamed) {
  const auto facts = collect(fixture_host("guide-ich10"));
  EXPECT_EQ(fact(facts, "acpi.dmar.present"), true);
  EXPECT_EQ(fact(facts, "acpi.dmar.source"), "/sys/firmware/acpi/tables/RMAD");
  EXPECT_EQ(fact(facts, "acpi.dmar.signature"), "RMAD");
  EXPECT_EQ(fact(facts, "acpi.dmar.checksum_ok"), true);
  EXPECT_EQ(fact(facts, "acpi.dmar.intr_remap"), true);
  EXPECT_EQ(fact(facts, "acpi.dmar.x2apic_opt_out"), false);
  EXPECT_EQ(fact(facts, "acpi.dmar.host_address_width"), 39);
  EXPECT_EQ(fact(facts, "acpi.dmar.drhd.0.include_pci_all"), true);
  EXPECT_EQ(fact(facts, "acpi.dmar.drhd.0.segment"), 0);
  EXPECT_EQ(fact(facts, "acpi.dmar.drhd.0.base"), 0xfed90000u);
  EXPECT_EQ(fact(facts, "acpi.dmar.drhd.0.base_hex"), "0xfed90000");
  EXPECT_EQ(fact(facts, "acpi.dmar.rmrr.0.base_hex"), "0xbf7ec000");
  EXPECT_EQ(fact(facts, "acpi.dmar.rmrr.0.limit_hex"), "0xbf7fffff");
  EXPECT_THAT(strings(fact(facts, "acpi.dmar.rmrr.0.devices")),
              ElementsAre("0000:00:1a.0", "0000:00:1a.1", "0000:00:1a.2", "0000:00:1a.7", "0000:00:1d.0",
                          "0000:00:1d.1", "0000:00:1d.2", "0000:00:1d.7"));
  EXPECT_THAT(strings(fact(facts, "acpi.dmar.errors")), IsEmpty());
  EXPECT_EQ(fact(facts, "acpi.iommu_table"), "DMAR");
  EXPECT_EQ(fact(facts, "acpi.ivrs.present"), false);
}

TEST(AcpiPlugin, IntelModernHasIgdUnitAndTwoRmrrs) {
  const auto facts = collect(fixture_host("intel-modern"));
  EXPECT_EQ(fact(facts, "acpi.dmar.source"), "/sys/firmware/acpi/tables/DMAR");
  EXPECT_EQ(fact(facts, "acpi.dmar.drhd").size(), 2u);
  EXPECT_EQ(fact(facts, "acpi.dmar.drhd.0.include_pci_all"), false);
  EXPECT_THAT(strings(fact(facts, "acpi.dmar.drhd.0.devices")), ElementsAre("0000:00:02.0"));
  EXPECT_EQ(fact(facts, "acpi.dmar.drhd.1.scopes.0.type"), "ioapic");
  EXPECT_EQ(fact(facts, "acpi.dmar.drhd.1.scopes.1.type"), "hpet");
  EXPECT_THAT(strings(fact(facts, "acpi.dmar.drhd.1.devices")), IsEmpty());  // no PCI devices named
  EXPECT_THAT(strings(fact(facts, "acpi.dmar.rmrr.0.devices")), ElementsAre("0000:00:14.0"));
  EXPECT_THAT(strings(fact(facts, "acpi.dmar.rmrr.1.devices")), ElementsAre("0000:00:02.0"));
  EXPECT_EQ(fact(facts, "acpi.dmar.dma_ctrl_platform_opt_in"), true);
  EXPECT_THAT(strings(fact(facts, "acpi.dmar.errors")), IsEmpty());
}

TEST(AcpiPlugin, AmdDesktopReadsIvrs) {
  const auto facts = collect(fixture_host("amd-desktop"));
  EXPECT_EQ(fact(facts, "acpi.dmar.present"), false);
  EXPECT_EQ(fact(facts, "acpi.ivrs.present"), true);
  EXPECT_EQ(fact(facts, "acpi.iommu_table"), "IVRS");
  EXPECT_EQ(fact(facts, "acpi.ivrs.checksum_ok"), true);
  EXPECT_EQ(fact(facts, "acpi.ivrs.efr_sup"), true);
  EXPECT_EQ(fact(facts, "acpi.ivrs.revision"), 2);
  EXPECT_EQ(fact(facts, "acpi.ivrs.ivhd").size(), 2u);
  EXPECT_EQ(fact(facts, "acpi.ivrs.ivhd.0.type"), "0x10");
  EXPECT_EQ(fact(facts, "acpi.ivrs.ivhd.0.devices.1.first_bdf"), "0000:00:01.0");
  EXPECT_EQ(fact(facts, "acpi.ivrs.ivhd.0.devices.1.last_bdf"), "0000:ff:1f.6");
  EXPECT_EQ(fact(facts, "acpi.ivrs.ivhd.1.type"), "0x11");
  EXPECT_EQ(fact(facts, "acpi.ivrs.ivhd.1.iommu_bdf"), "0000:00:00.2");
  EXPECT_EQ(fact(facts, "acpi.ivrs.ivhd.1.base_hex"), "0xfd200000");
  EXPECT_EQ(fact(facts, "acpi.ivrs.ivhd.1.efr_hex"), "0x246577efa2254afa");
  EXPECT_EQ(fact(facts, "acpi.ivrs.ivhd.1.devices.0.kind"), "all");
  EXPECT_EQ(fact(facts, "acpi.ivrs.ivhd.1.special").size(), 3u);
  EXPECT_EQ(fact(facts, "acpi.ivrs.ivmd.0.type"), "0x21");
  EXPECT_EQ(fact(facts, "acpi.ivrs.ivmd.0.first_bdf"), "0000:0a:00.3");
  EXPECT_EQ(fact(facts, "acpi.ivrs.ivmd.0.unity"), true);
  EXPECT_EQ(fact(facts, "acpi.ivrs.ivmd.0.start_hex"), "0xdc000000");
  EXPECT_EQ(fact(facts, "acpi.ivrs.ivmd.0.end_hex"), "0xdc0fffff");
  EXPECT_THAT(strings(fact(facts, "acpi.ivrs.errors")), IsEmpty());
  EXPECT_THAT(strings(fact(facts, "acpi.ivrs.warnings")), IsEmpty());
}

// A two-socket Purley server: a unit per IIO stack, each root bus its own (17, 85, ...), multi-hop scopes resolved
// through the root ports' secondary buses in its PCI tree.
TEST(AcpiPlugin, ServerResolvesMultiHopScopesOverItsRootBuses) {
  const auto facts = collect(fixture_host("server-multi-drhd"));
  EXPECT_EQ(fact(facts, "acpi.dmar.host_address_width"), 46);
  EXPECT_THAT(strings(fact(facts, "acpi.dmar.drhd.0.devices")), ElementsAre("0000:17:00.0", "0000:18:00.0"));
  EXPECT_EQ(fact(facts, "acpi.dmar.drhd.0.scopes.1.path"), Json::parse(R"(["00.0", "00.0"])"));
  EXPECT_EQ(fact(facts, "acpi.dmar.drhd.7.scopes.3.type"), "namespace");
  EXPECT_EQ(fact(facts, "acpi.dmar.drhd.7.include_pci_all"), true);
  EXPECT_EQ(fact(facts, "acpi.dmar.drhd.4.segment"), 0);
  EXPECT_THAT(strings(fact(facts, "acpi.dmar.rmrr.0.devices")), ElementsAre("0000:00:14.0"));
  EXPECT_THAT(strings(fact(facts, "acpi.dmar.rmrr.1.devices")), ElementsAre("0000:86:00.0"));
  EXPECT_EQ(fact(facts, "acpi.dmar.atsr.0.scopes.2.bdf"), nullptr);
  EXPECT_THAT(fact(facts, "acpi.dmar.atsr.0.scopes.2.unresolved").get<std::string>(),
              HasSubstr("cannot read the secondary bus of bridge 0000:3a:00.0"));
  EXPECT_EQ(fact(facts, "acpi.dmar.rhsa.3.proximity_domain"), 1);
  EXPECT_EQ(fact(facts, "acpi.dmar.rhsa.3.base_hex"), "0xd37fc000");
  EXPECT_EQ(fact(facts, "acpi.dmar.andd.0.object_name"), "\\_SB.PCI0.UAR0");
  EXPECT_THAT(strings(fact(facts, "acpi.dmar.satc")), IsEmpty());  // Cascade Lake predates SATC
  EXPECT_EQ(fact(facts, "acpi.dmar.checksum_ok"), true);
  EXPECT_THAT(strings(fact(facts, "acpi.dmar.errors")), IsEmpty());
  EXPECT_THAT(strings(fact(facts, "acpi.dmar.warnings")), IsEmpty());  // every PCI scope is present, kinds match
}

// A bridge's config space as scope resolution reads it: header type 1 and its secondary bus.
std::string bridge_config(std::uint8_t secondary) {
  std::string config(64, '\0');
  config[0x0e] = 1;
  config[0x19] = static_cast<char>(secondary);
  config[0x1a] = static_cast<char>(secondary);
  return config;
}

// What no fixture host has (a Purley server has one segment and no SATC): an RMRR on segment 1 reaching a device
// behind a bridge of that segment, and a SATC whose device requires ATC.
TEST(AcpiPlugin, SecondSegmentAndSatcScopesResolve) {
  TempTree tree;
  auto builder = testing::dmar_builder();
  const std::string rmrr_scope = testing::dmar_scope(1, 0, {{1, 0}, {0, 0}});
  builder.u16(1).u16(24 + rmrr_scope.size()).u16(0).u16(1).u64(0x7b900000).u64(0x7b9fffff).raw(rmrr_scope);
  const std::string satc_scope = testing::dmar_scope(1, 0, {{3, 0}, {0, 0}});
  builder.u16(5).u16(8 + satc_scope.size()).u8(1).u8(0).u16(0).raw(satc_scope);
  tree.write("/sys/firmware/acpi/tables/DMAR", builder.finish());
  tree.write("/sys/bus/pci/devices/0001:00:01.0/config", bridge_config(0x41));
  tree.write("/sys/bus/pci/devices/0001:41:00.0/config", std::string(64, '\0'));
  tree.write("/sys/bus/pci/devices/0000:00:03.0/config", bridge_config(0x08));
  tree.write("/sys/bus/pci/devices/0000:08:00.0/config", std::string(64, '\0'));
  const auto facts = collect(tree.path());
  EXPECT_EQ(fact(facts, "acpi.dmar.rmrr.0.segment"), 1);
  EXPECT_THAT(strings(fact(facts, "acpi.dmar.rmrr.0.devices")), ElementsAre("0001:41:00.0"));
  EXPECT_EQ(fact(facts, "acpi.dmar.satc.0.atc_required"), true);
  EXPECT_THAT(strings(fact(facts, "acpi.dmar.satc.0.devices")), ElementsAre("0000:08:00.0"));
  EXPECT_THAT(strings(fact(facts, "acpi.dmar.warnings")), IsEmpty());
}

TEST(AcpiPlugin, BrokenTablesReportPreciseErrorsAndDiagnostics) {
  const auto facts = collect(fixture_host("broken"));
  EXPECT_EQ(fact(facts, "acpi.dmar.present"), true);
  EXPECT_EQ(fact(facts, "acpi.dmar.checksum_ok"), false);
  EXPECT_EQ(fact(facts, "acpi.dmar.drhd").size(), 1u);
  EXPECT_EQ(fact(facts, "acpi.dmar.rmrr").size(), 1u);
  EXPECT_THAT(strings(fact(facts, "acpi.dmar.errors")),
              ElementsAre(HasSubstr("DMAR: offset 0x4: table length 512 runs past the end of the file"),
                          HasSubstr("DMAR: offset 0x40: device scope length 16 runs past the end of its structure"),
                          HasSubstr("DMAR: offset 0x68: remapping structure length 0")));
  EXPECT_THAT(diagnostics(facts),
              Contains(HasSubstr("/sys/firmware/acpi/tables/DMAR: offset 0x68: remapping structure length 0")));
  EXPECT_EQ(fact(facts, "acpi.ivrs.present"), true);
  EXPECT_FALSE(fact(facts, "acpi.ivrs.errors").empty());
}

TEST(AcpiPlugin, UnreadableHeaderFieldsAreUnknownWithTheError) {
  TempTree tree;
  tree.write("/sys/firmware/acpi/tables/DMAR", "DMAR\x10");
  const auto facts = collect(tree.path());
  EXPECT_EQ(fact(facts, "acpi.dmar.present"), true);
  EXPECT_EQ(fact(facts, "acpi.dmar.intr_remap"), nullptr);
  EXPECT_EQ(fact(facts, "acpi.dmar.signature"), nullptr);
  EXPECT_EQ(fact(facts, "acpi.dmar.checksum_ok"), false);
  const auto reason = facts.facts.unknown_reason("acpi.dmar.intr_remap");
  ASSERT_TRUE(reason.has_value());
  EXPECT_THAT(*reason, HasSubstr("DMAR: offset 0x0: file is 5 bytes, shorter than the 36-byte ACPI table header"));
  EXPECT_THAT(diagnostics(facts), ElementsAre(HasSubstr("/sys/firmware/acpi/tables/DMAR: offset 0x0: file is 5 bytes")));
}

TEST(AcpiPlugin, XmarFromOlderXenIsRead) {
  TempTree tree;
  std::string table = testing::dmar_builder().finish();
  table[0] = 'X';
  table[9] = static_cast<char>(table[9] - ('X' - 'D'));
  tree.write("/sys/firmware/acpi/tables/XMAR", table);
  const auto facts = collect(tree.path());
  EXPECT_EQ(fact(facts, "acpi.dmar.source"), "/sys/firmware/acpi/tables/XMAR");
  EXPECT_EQ(fact(facts, "acpi.dmar.checksum_ok"), true);
  EXPECT_EQ(fact(facts, "acpi.iommu_table"), "DMAR");
}

TEST(AcpiPlugin, LongWarningListsAreCapped) {
  TempTree tree;
  auto builder = testing::dmar_builder();
  for (int i = 0; i < 300; ++i) builder.u16(0).u16(16).u8(1).u8(0).u16(0).u64(0xfed90000);
  tree.write("/sys/firmware/acpi/tables/DMAR", builder.finish());
  const auto facts = collect(tree.path());
  const Json warnings = fact(facts, "acpi.dmar.warnings");
  ASSERT_EQ(warnings.size(), 101u);
  EXPECT_EQ(warnings[100], "... and 199 more like these (disassemble the table with `iasl -d` to see them all)");
}

TEST(AcpiPlugin, EmptyRootLeavesTablesUnknownWithReason) {
  const auto facts = collect(fixture_host("empty"));
  EXPECT_EQ(fact(facts, "acpi.dmar.present"), nullptr);
  const auto reason = facts.facts.unknown_reason("acpi.dmar.present");
  ASSERT_TRUE(reason.has_value());
  EXPECT_THAT(*reason, HasSubstr("/sys/firmware/acpi/tables is missing"));
  EXPECT_THAT(facts.facts.unknown_reason("acpi.iommu_table").value_or(""),
              HasSubstr("/sys/firmware/acpi/tables is missing"));
}

TEST(AcpiPlugin, TablesDirectoryWithoutIommuTablesMeansAbsent) {
  TempTree tree;
  tree.write("/sys/firmware/acpi/tables/APIC", "not parsed");
  const auto facts = collect(tree.path());
  EXPECT_EQ(fact(facts, "acpi.dmar.present"), false);
  EXPECT_EQ(fact(facts, "acpi.ivrs.present"), false);
  EXPECT_TRUE(facts.facts.find("acpi.iommu_table") != nullptr);
  EXPECT_EQ(fact(facts, "acpi.iommu_table"), nullptr);
  EXPECT_FALSE(facts.facts.unknown_reason("acpi.iommu_table").has_value());
}

TEST(AcpiPlugin, UnreadableTableAsksForRoot) {
  // Root reads any file, and CI runs as root: collect as nobody (tests/support/unprivileged.hpp).
  TempTree tree;
  const std::string path = tree.write("/sys/firmware/acpi/tables/DMAR", testing::dmar_builder().finish());
  ASSERT_EQ(chmod(path.c_str(), 0), 0);
  std::string reason = ptdoctor::testing::as_unprivileged([&] {
    const auto facts = collect(tree.path());
    return facts.facts.unknown_reason("acpi.dmar.present").value_or("no reason: the fact is not unknown");
  });
  EXPECT_THAT(reason, HasSubstr("run ptdoctor as root"));
}

std::string rmrr_with_scopes(const std::string& scopes) {
  auto builder = testing::dmar_builder();
  builder.u16(1).u16(24 + scopes.size()).u16(0).u16(0).u64(0xbf7ec000).u64(0xbf7fffff).raw(scopes);
  return builder.finish();
}

TEST(AcpiPlugin, ScopeDeviceMissingFromPciTreeIsAWarning) {
  TempTree tree;
  tree.write("/sys/firmware/acpi/tables/DMAR", rmrr_with_scopes(testing::dmar_scope(1, 0, {{0x1a, 0}})));
  tree.write("/sys/bus/pci/devices/0000:00:1d.0/config", std::string(64, '\0'));
  const auto facts = collect(tree.path());
  EXPECT_THAT(strings(fact(facts, "acpi.dmar.warnings")),
              ElementsAre("DMAR: offset 0x48: RMRR device scope 0000:00:1a.0 (endpoint) is not present in "
                          "/sys/bus/pci/devices: stale firmware table, or the device is disabled in the firmware "
                          "setup"));
}

TEST(AcpiPlugin, ScopeKindMustMatchHeaderType) {
  TempTree tree;
  tree.write("/sys/firmware/acpi/tables/DMAR", rmrr_with_scopes(testing::dmar_scope(1, 0, {{3, 0}})));
  std::string bridge(64, '\0');
  bridge[0x0e] = 1;
  tree.write("/sys/bus/pci/devices/0000:00:03.0/config", bridge);
  const auto facts = collect(tree.path());
  EXPECT_THAT(strings(fact(facts, "acpi.dmar.warnings")),
              ElementsAre(HasSubstr("RMRR device scope 0000:00:03.0 says endpoint but its config header type is 1")));
}

TEST(AcpiPlugin, WithoutPciTreeScopesAreNotJudged) {
  TempTree tree;
  tree.write("/sys/firmware/acpi/tables/DMAR", rmrr_with_scopes(testing::dmar_scope(1, 0, {{0x1a, 0}})));
  const auto facts = collect(tree.path());
  EXPECT_THAT(strings(fact(facts, "acpi.dmar.warnings")), IsEmpty());
  EXPECT_THAT(strings(fact(facts, "acpi.dmar.rmrr.0.devices")), ElementsAre("0000:00:1a.0"));
}

}  // namespace
}  // namespace ptdoctor::acpi
