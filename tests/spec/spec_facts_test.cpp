// Parts lists turned into facts: the expert's answer for the guide's machine and for an i7-2600K build.
#include "spec/spec_facts.hpp"

#include <gtest/gtest.h>

#include "spec/parts_list.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::spec {
namespace {

using ptdoctor::testing::source_path;
using ptdoctor::testing::TempTree;

engine::Collection facts_for(const std::string& parts, std::vector<std::string> dirs = {}) {
  dirs.insert(dirs.begin(), source_path("rules"));
  auto built = facts_from_spec(parts, dirs);
  EXPECT_TRUE(built) << (built ? "" : built.error().message);
  return built ? std::move(built.value()) : engine::Collection{};
}

Json at(const engine::Collection& c, const std::string& path) {
  const Json* value = c.facts.find(path);
  return value != nullptr ? *value : Json("<absent>");
}

std::string reason(const engine::Collection& c, const std::string& path) {
  return c.facts.unknown_reason(path).value_or("<known>");
}

TEST(SpecFacts, GuideMachineIsCapableAndLeavesTheFirmwareOpen) {
  auto c = facts_for(source_path("tests/spec/parts/guide-machine.yaml"));
  EXPECT_EQ(at(c, "cpu.vendor"), "GenuineIntel");
  EXPECT_EQ(at(c, "cpu.vmx"), true);
  EXPECT_EQ(at(c, "cpu.svm"), false);
  EXPECT_EQ(at(c, "cpu.hypervisor.present"), false);
  EXPECT_EQ(at(c, "cpu.hypervisor.name"), "none");
  EXPECT_EQ(at(c, "cpu.virt.technology"), "VT-x");
  EXPECT_EQ(at(c, "cpu.virt.supported"), true);
  EXPECT_EQ(reason(c, "cpu.virt.firmware_disabled"), kFirmwareReason);
  EXPECT_EQ(at(c, "spec.platform.iommu_capable"), true);
  // X58 carries the VT-d engines; whether the BIOS switched them on only the machine can show.
  EXPECT_TRUE(at(c, "acpi.dmar.present").is_null());
  EXPECT_NE(reason(c, "acpi.dmar.present").find(kFirmwareReason), std::string::npos);
  EXPECT_EQ(at(c, "acpi.ivrs.present"), false);
  EXPECT_EQ(reason(c, "acpi.dmar.rmrr"), kFirmwareReason);
  EXPECT_EQ(reason(c, "cpu.cpuinfo.flags.vmx"), kFirmwareReason);
  const Json gpu = at(c, "gpu.candidates")[0];
  EXPECT_EQ(gpu["vendor_id"], "0x1002");
  EXPECT_EQ(gpu["device_id"], "0x6718");
  EXPECT_EQ(gpu["name"], "Cayman XT [Radeon HD 6970]");
  EXPECT_EQ(gpu["target"], true);
  EXPECT_EQ(reason(c, "gpu.candidates.0.bdf"), kMachineReason);
  EXPECT_EQ(at(c, "xen.version"), "4.17");
  EXPECT_EQ(at(c, "xen.major"), 4);
  EXPECT_EQ(at(c, "xen.minor"), 17);
  EXPECT_EQ(at(c, "kernel.version"), "6.1");
  EXPECT_NE(reason(c, "pci.devices"), "<known>");
  EXPECT_NE(c.facts.provenance().at("cpu.vmx").find("cpus.yaml"), std::string::npos);
}

TEST(SpecFacts, I7_2600KHasNoVtdWhateverTheBoard) {
  auto c = facts_for(source_path("tests/spec/parts/i7-2600k.yaml"));
  EXPECT_EQ(at(c, "cpu.vmx"), true);  // VT-x yes: the blocker is the IOMMU, and the facts say which
  EXPECT_EQ(at(c, "spec.platform.iommu_capable"), false);
  EXPECT_EQ(at(c, "acpi.dmar.present"), false);
  EXPECT_EQ(at(c, "acpi.ivrs.present"), false);
  EXPECT_EQ(at(c, "xen.iommu_enabled"), false);
  EXPECT_EQ(at(c, "acpi.iommu_table"), "<absent>");
  EXPECT_EQ(at(c, "acpi.dmar.rmrr"), "<absent>");  // no IOMMU, no table: nothing firmware-dependent left
  std::string why = at(c, "spec.platform.reason").get<std::string>();
  EXPECT_NE(why.find("Core i7-2600K has no VT-d"), std::string::npos) << why;
  EXPECT_NE(c.facts.provenance().at("acpi.dmar.present").find("Intel ARK"), std::string::npos);
  EXPECT_EQ(at(c, "spec.motherboard_chipset"), "Z68");
  EXPECT_EQ(at(c, "gpu.candidates")[0]["device_id"], "0x6718");
  EXPECT_EQ(at(c, "xen.extra"), "5");
}

TEST(SpecFacts, UnknownPartsAreUnknownWithTheFixNeverGuessed) {
  TempTree tree;
  std::string parts = tree.write("/parts.yaml",
                                 "cpu: \"Intel Core i9-99999\"\nchipset: \"Z999\"\ngpus: [\"Voodoo 5 6000\"]\n");
  auto c = facts_for(parts);
  EXPECT_TRUE(at(c, "cpu.vmx").is_null() || at(c, "cpu.vmx") == "<absent>");
  EXPECT_EQ(reason(c, "cpu.vmx"),
            "CPU 'Intel Core i9-99999' not in the hardware database; add it to rules/hwdb/cpus.yaml");
  EXPECT_NE(reason(c, "acpi.dmar.present").find("not in the hardware database"), std::string::npos);
  EXPECT_NE(reason(c, "gpu.candidates.0.device_id").find("GPU 'Voodoo 5 6000' not in the hardware database"),
            std::string::npos);
  EXPECT_NE(reason(c, "xen.version").find("no Xen version"), std::string::npos);
}

TEST(SpecFacts, ChipsetPlatformNeedsTheChipsetAndBoardDependentChipsetsStayOpen) {
  TempTree tree;
  auto c = facts_for(tree.write("/a.yaml", "cpu: \"Core i7-920\"\n"));
  EXPECT_NE(reason(c, "acpi.dmar.present").find("give chipset or motherboard"), std::string::npos);
  auto board = facts_for(tree.write("/b.yaml", "cpu: \"Core i7-2600\"\nchipset: P67\n"));
  EXPECT_NE(reason(board, "acpi.dmar.present").find("depends on the motherboard"), std::string::npos);
  auto none = facts_for(tree.write("/c.yaml", "cpu: \"Core 2 Quad Q9550\"\nchipset: P45\n"));
  EXPECT_EQ(at(none, "acpi.dmar.present"), false);
  EXPECT_NE(at(none, "spec.platform.reason").get<std::string>().find("P45 chipset has no VT-d"), std::string::npos);
  auto amd = facts_for(tree.write("/d.yaml", "cpu: \"AMD Ryzen 7 5800X\"\nchipset: X570\n"));
  EXPECT_EQ(at(amd, "cpu.svm"), true);
  EXPECT_EQ(at(amd, "acpi.dmar.present"), false);
  EXPECT_EQ(reason(amd, "acpi.ivrs.present").find("the hardware supports it"), 0u);
}

TEST(SpecFacts, AmbiguousGpuNamesAskForThePciId) {
  TempTree tree;
  auto c = facts_for(tree.write("/p.yaml", "cpu: \"Core i7-6700K\"\ngpus: [\"Radeon R7 240\"]\n"));
  EXPECT_EQ(at(c, "gpu.candidates")[0]["vendor_id"], "0x1002");
  EXPECT_NE(reason(c, "gpu.candidates.0.device_id").find("several PCI ids"), std::string::npos);
}

TEST(SpecFacts, QuirksComeFromTheQuirkFileByDeviceRange) {
  TempTree tree;
  tree.write("/data/gpu-quirks.yaml",
             "kind: gpu-quirks\nquirks:\n  - id: amd-polaris-reset\n    severity: warning\n"
             "    title: No reset after guest use\n    workaround: vendor-reset\n    vendor_id: \"0x1002\"\n"
             "    device_ids: [\"0x67c0-0x67ff\", \"0x6fdf\"]\n");
  auto c = facts_for(tree.write("/p.yaml", "gpus: [\"1002:67df\", \"1002:6718\"]\n"), {tree.at("/data")});
  const Json candidates = at(c, "gpu.candidates");
  // Both the test's own quirk file and the shipped rules/gpu-quirks.yaml (match: {vendor, devices}) apply.
  std::vector<std::string> ids;
  for (const Json& quirk : candidates[0]["quirks"]) ids.push_back(quirk["id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"amd-reset-bug", "amd-polaris-reset"}));
  EXPECT_EQ(candidates[1]["quirks"], Json::array());
  EXPECT_EQ(candidates[1]["target"], false);
}

TEST(SpecFacts, BadPartsListsNameFileAndLine) {
  TempTree tree;
  auto typo = facts_from_spec(tree.write("/t.yaml", "cpu: \"Core i7-920\"\ncpuu: x\n"), {});
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().message.find("t.yaml:2:1: unknown key 'cpuu'"), std::string::npos) << typo.error().message;
  auto broken = facts_from_spec(tree.write("/b.yaml", "cpu: [unclosed\n"), {});
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message.find("b.yaml:"), std::string::npos);
  auto missing = facts_from_spec(tree.at("/none.yaml"), {});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("none.yaml: cannot open the parts list"), std::string::npos);
  auto empty = facts_from_spec(tree.write("/e.yaml", "name: nothing\n"), {});
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("no parts"), std::string::npos);
}

// Found while writing the parts_list fuzz target (tests/fuzz): a list or map where a key or `kind` belongs threw yaml-cpp's bad conversion
// past parse_parts_list, and `check --spec` ended with "internal error" (exit 70).
TEST(SpecFacts, AListOrMapWhereAWordBelongsIsAnErrorNamingTheLine) {
  auto key = parse_parts_list("cpu: \"Core i7-920\"\n[a]: 1\n", "k.yaml");
  ASSERT_FALSE(key);
  EXPECT_NE(key.error().message.find("k.yaml:2:1: a key is a single word"), std::string::npos) << key.error().message;
  auto kind = parse_parts_list("kind: {a: 1}\ncpu: x\n", "m.yaml");
  ASSERT_FALSE(kind);
  EXPECT_NE(kind.error().message.find("m.yaml:1:7: kind must be parts"), std::string::npos) << kind.error().message;
}

}  // namespace
}  // namespace ptdoctor::spec
