// The pci plugin on generated fixture hosts (tests/fixtures/hostgen/pci.py).
#include <gtest/gtest.h>

#include "plugin_harness.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

Json device(const engine::Collection& collection, const std::string& bdf) {
  for (const Json& entry : fact(collection, "pci.devices")) {
    if (entry["bdf"] == bdf) return entry;
  }
  return nullptr;
}

TEST(PciPlugin, GuideHostListsEveryFunctionWithIdentity) {
  auto collection = run_plugins({"pci"}, fixture_host("guide-ich10"));
  EXPECT_EQ(fact(collection, "pci.count"), 17);
  Json gpu = device(collection, "0000:08:00.0");
  ASSERT_TRUE(gpu.is_object());
  EXPECT_EQ(gpu["vendor_id"], "0x1002");
  EXPECT_EQ(gpu["device_id"], "0x6719");
  EXPECT_EQ(gpu["class"], "0x0300");
  EXPECT_EQ(gpu["prog_if"], "0x00");
  EXPECT_EQ(gpu["subsystem_device_id"], "0x0b00");
  EXPECT_EQ(gpu["vendor_name"], "Advanced Micro Devices, Inc. [AMD/ATI]");
  EXPECT_TRUE(gpu["multifunction"].get<bool>());
  EXPECT_EQ(gpu["header_type"], 0);
  EXPECT_EQ(gpu["parent_bridge"], "0000:00:03.0");
  EXPECT_EQ(gpu["driver"], "pciback");
  EXPECT_FALSE(gpu["boot_vga"].get<bool>());
  EXPECT_FALSE(gpu["flr"].get<bool>());
  EXPECT_EQ(gpu["reset_methods"], Json::array({"bus"}));
  EXPECT_TRUE(gpu["iommu_group"].is_null());
  EXPECT_EQ(gpu["bar_total"], (256u << 20) + (128u << 10) + 256u);
  EXPECT_TRUE(gpu["rom"]["present"].get<bool>());
  EXPECT_EQ(device(collection, "0000:07:00.0")["boot_vga"], true);
}

TEST(PciPlugin, ReadsFlrFromPcieDevCapAndAdvancedFeatures) {
  auto guide = run_plugins({"pci"}, fixture_host("guide-ich10"));
  EXPECT_EQ(device(guide, "0000:00:1a.0")["flr"], true);  // AF capability FLR bit
  EXPECT_EQ(device(guide, "0000:00:1a.0")["reset_methods"], Json::array({"af_flr"}));
  auto modern = run_plugins({"pci"}, fixture_host("intel-modern"));
  EXPECT_EQ(device(modern, "0000:02:00.0")["flr"], true);   // PCIe DevCap bit 28
  EXPECT_EQ(device(modern, "0000:01:00.0")["flr"], false);  // Polaris: no FLR
}

TEST(PciPlugin, ReadsAcsOnPortsAndItsAbsence) {
  auto amd = run_plugins({"pci"}, fixture_host("amd-desktop"));
  Json root_port = device(amd, "0000:00:01.2");
  EXPECT_EQ(root_port["acs"]["present"], true);
  EXPECT_EQ(root_port["acs"]["enabled"], true);
  EXPECT_EQ(root_port["acs"]["capability"], "0x001f");
  Json downstream = device(amd, "0000:03:04.0");
  EXPECT_EQ(downstream["acs"]["present"], false);
  EXPECT_EQ(downstream["is_bridge"], true);
  EXPECT_EQ(downstream["secondary_bus"], 5);
  EXPECT_EQ(device(amd, "0000:05:00.0")["parent_bridge"], "0000:03:04.0");
}

TEST(PciPlugin, IommuGroupsFromSysfs) {
  auto amd = run_plugins({"pci"}, fixture_host("amd-desktop"));
  Json groups = fact(amd, "pci.iommu_groups");
  ASSERT_TRUE(groups.is_object());
  EXPECT_EQ(groups["12"], Json::array({"0000:02:00.0", "0000:03:04.0", "0000:03:08.0", "0000:05:00.0",
                                       "0000:05:00.1", "0000:06:00.0"}));
  EXPECT_EQ(device(amd, "0000:05:00.0")["iommu_group"], "12");
}

TEST(PciPlugin, XenDom0HasNoGroupsAndSaysWhy) {
  auto guide = run_plugins({"pci"}, fixture_host("guide-ich10"));
  EXPECT_TRUE(fact(guide, "pci.iommu_groups").is_null());
  auto reason = guide.facts.unknown_reason("pci.iommu_groups");
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("Xen"), std::string::npos);
}

TEST(PciPlugin, PcibackListsStubBoundFunctions) {
  auto guide = run_plugins({"pci"}, fixture_host("guide-ich10"));
  EXPECT_EQ(fact(guide, "pci.pciback"), Json::array({"0000:08:00.0", "0000:08:00.1"}));
  auto modern = run_plugins({"pci"}, fixture_host("intel-modern"));
  EXPECT_EQ(fact(modern, "pci.pciback"), Json::array());
}

TEST(PciPlugin, TreeWithoutSysfsMakesDevicesUnknownWithReason) {
  TempTree tree;
  tree.write("/proc/cmdline", "quiet\n");
  auto collection = run_plugins({"pci"}, tree.path());
  EXPECT_TRUE(fact(collection, "pci.devices").is_null());
  auto reason = collection.facts.unknown_reason("pci.devices");
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("/sys/bus/pci/devices"), std::string::npos);
}

}  // namespace
}  // namespace ptdoctor::testing
