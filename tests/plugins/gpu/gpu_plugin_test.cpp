// The gpu plugin on generated fixture hosts, after the pci plugin (and acpi when it is built).
#include <unistd.h>

#include <gtest/gtest.h>

#include "plugin_harness.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

Json candidate(const engine::Collection& collection, const std::string& bdf) {
  for (const Json& entry : fact(collection, "gpu.candidates")) {
    if (entry["bdf"] == bdf) return entry;
  }
  // A missing device must not pass for one whose fields are unknown: null["rmrr"] is null too.
  ADD_FAILURE() << bdf << " is not in gpu.candidates";
  return nullptr;
}

Json quirk_ids(const Json& candidate) {
  Json ids = Json::array();
  for (const Json& quirk : candidate["quirks"]) ids.push_back(quirk["id"]);
  return ids;
}

TEST(GpuPlugin, GuideHostTargetsTheSecondaryRadeonWithItsAudio) {
  auto collection = run_plugins({"pci", "gpu"}, fixture_host("guide-ich10"));
  EXPECT_EQ(fact(collection, "gpu.count"), 2);
  EXPECT_EQ(fact(collection, "gpu.target"), "0000:08:00.0");
  EXPECT_EQ(fact(collection, "gpu.selected_by"), "auto");
  Json target = candidate(collection, "0000:08:00.0");
  EXPECT_EQ(target["target"], true);
  EXPECT_EQ(target["functions"], Json::array({"0000:08:00.0", "0000:08:00.1"}));
  EXPECT_EQ(target["functions_not_pciback"], Json::array());
  EXPECT_EQ(target["boot_vga"], false);
  EXPECT_EQ(target["flr"], false);
  EXPECT_EQ(target["bus_peers"], Json::array());
  // Xen dom0: no groups, so isolation comes from ACS on the path; 00:03.0 has it enabled.
  EXPECT_EQ(target["isolation_source"], "acs_path");
  EXPECT_EQ(target["isolation_peers"], Json::array());
  EXPECT_EQ(target["quirks"], Json::array());
  EXPECT_EQ(candidate(collection, "0000:07:00.0")["boot_vga"], true);
  EXPECT_EQ(quirk_ids(candidate(collection, "0000:07:00.0")), Json::array({"nvidia-geforce-code43"}));
  EXPECT_EQ(fact(collection, "gpu.target_info")["bdf"], "0000:08:00.0");
}

TEST(GpuPlugin, SharedGroupGivesIsolationPeersAndNavi10ResetQuirk) {
  auto collection = run_plugins({"pci", "gpu"}, fixture_host("amd-desktop"));
  Json target = candidate(collection, "0000:05:00.0");
  ASSERT_TRUE(target.is_object());
  EXPECT_EQ(fact(collection, "gpu.target"), "0000:05:00.0");
  EXPECT_EQ(target["isolation_source"], "iommu_group");
  EXPECT_EQ(target["isolation_peers"], Json::array({"0000:06:00.0"}));  // the chipset SATA controller
  EXPECT_EQ(quirk_ids(target), Json::array({"amd-reset-bug"}));
  EXPECT_EQ(target["held_by_host_driver"], true);
  EXPECT_EQ(target["functions_not_pciback"], Json::array({"0000:05:00.0", "0000:05:00.1"}));
}

TEST(GpuPlugin, PolarisBehindRootPortHasResetQuirkAndNoOtherPeers) {
  auto collection = run_plugins({"pci", "gpu"}, fixture_host("intel-modern"));
  EXPECT_EQ(fact(collection, "gpu.target"), "0000:01:00.0");
  Json target = candidate(collection, "0000:01:00.0");
  EXPECT_EQ(quirk_ids(target), Json::array({"amd-reset-bug"}));
  EXPECT_EQ(target["isolation_peers"], Json::array());  // the root port in the group is a bridge
  EXPECT_EQ(target["bus_peers"], Json::array());
  EXPECT_EQ(quirk_ids(candidate(collection, "0000:00:02.0")), Json::array({"intel-igd"}));
}

TEST(GpuPlugin, DualGpuPicksTheNonBootCard) {
  auto collection = run_plugins({"pci", "gpu"}, fixture_host("dual-gpu"));
  EXPECT_EQ(fact(collection, "gpu.target"), "0000:03:00.0");
  EXPECT_EQ(quirk_ids(candidate(collection, "0000:03:00.0")), Json::array());  // Navi 23 is not in the list
}

TEST(GpuPlugin, GpuOptionAcceptsShortAndFullAddresses) {
  auto by_short = run_plugins({"pci", "gpu"}, fixture_host("dual-gpu"), {{"gpu", {"01:00.0"}}});
  EXPECT_EQ(fact(by_short, "gpu.target"), "0000:01:00.0");
  EXPECT_EQ(fact(by_short, "gpu.selected_by"), "option");
  EXPECT_EQ(candidate(by_short, "0000:01:00.0")["boot_vga"], true);  // allowed; the rules warn about it
  auto by_full = run_plugins({"pci", "gpu"}, fixture_host("dual-gpu"), {{"gpu", {"0000:03:00.0"}}});
  EXPECT_EQ(fact(by_full, "gpu.target"), "0000:03:00.0");
}

TEST(GpuPlugin, GpuOptionNamingSomethingElseGivesNoTargetAndSaysWhy) {
  auto collection = run_plugins({"pci", "gpu"}, fixture_host("dual-gpu"), {{"gpu", {"00:14.0"}}});
  EXPECT_TRUE(fact(collection, "gpu.target").is_null());
  const std::string reason = fact(collection, "gpu.target_reason");
  EXPECT_NE(reason.find("not a display controller"), std::string::npos);
  EXPECT_NE(reason.find("0000:03:00.0"), std::string::npos);
  auto garbage = run_plugins({"pci", "gpu"}, fixture_host("dual-gpu"), {{"gpu", {"radeon"}}});
  EXPECT_NE(fact(garbage, "gpu.target_reason").get<std::string>().find("not a PCI address"), std::string::npos);
}

TEST(GpuPlugin, OnlyTheBootGpuMeansNoTarget) {
  auto collection = run_plugins({"pci", "gpu"}, fixture_host("xhci-only"));
  EXPECT_TRUE(fact(collection, "gpu.target").is_null());
  EXPECT_NE(fact(collection, "gpu.target_reason").get<std::string>().find("boot GPU"), std::string::npos);
}

TEST(GpuPlugin, NoGpuAtAllIsAClearResult) {
  TempTree tree;
  tree.write("/sys/devices/pci0000:00/0000:00:00.0/config", std::string(64, '\0'));
  for (const char* file : {"vendor", "device"}) tree.write(std::string("/sys/devices/pci0000:00/0000:00:00.0/") + file, "0x8086\n");
  tree.write("/sys/devices/pci0000:00/0000:00:00.0/class", "0x060000\n");
  tree.write("/sys/devices/pci0000:00/0000:00:00.0/irq", "0\n");
  tree.write("/sys/devices/pci0000:00/0000:00:00.0/resource", "0x0 0x0 0x0\n");
  tree.symlink("/sys/bus/pci/devices/0000:00:00.0", "../../../devices/pci0000:00/0000:00:00.0");
  auto collection = run_plugins({"pci", "gpu"}, tree.path());
  EXPECT_EQ(fact(collection, "gpu.count"), 0);
  EXPECT_EQ(fact(collection, "gpu.candidates"), Json::array());
  EXPECT_TRUE(fact(collection, "gpu.target").is_null());
  EXPECT_EQ(fact(collection, "gpu.target_reason"), "no GPU (PCI class 0x0300, 0x0302 or 0x0380) on this host");
}

TEST(GpuPlugin, WithoutPciFactsEverythingIsUnknown) {
  TempTree tree;
  auto collection = run_plugins({"pci", "gpu"}, tree.path());
  EXPECT_TRUE(collection.facts.unknown_reason("gpu.candidates").has_value());
  EXPECT_TRUE(collection.facts.unknown_reason("gpu.target").has_value());
}

TEST(GpuPlugin, WithoutAcpiFactsRmrrIsUnknownNotEmpty) {
  auto collection = run_plugins({"pci", "gpu"}, fixture_host("guide-ich10"));
  Json gpu = candidate(collection, "0000:08:00.0");
  ASSERT_TRUE(gpu.contains("rmrr")) << gpu.dump();
  EXPECT_TRUE(gpu["rmrr"].is_null()) << gpu.dump();
}

TEST(GpuPlugin, WithAcpiThePassedGpuHasNoRmrr) {
  // Built and staged by the same build: missing is a failure, not a skip.
  ASSERT_EQ(::access(PTDOCTOR_TEST_PLUGIN_DIR "/ptdoctor-acpi.so", R_OK), 0) << "acpi plugin not staged";
  auto collection = run_plugins({"pci", "acpi", "gpu"}, fixture_host("guide-ich10"));
  EXPECT_EQ(candidate(collection, "0000:08:00.0")["rmrr"], Json::array());
}

}  // namespace
}  // namespace ptdoctor::testing
