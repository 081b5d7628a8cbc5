#include <gtest/gtest.h>

#include "ptdoctor/facts.hpp"

namespace ptdoctor {
namespace {

TEST(FactStore, SetsAndFindsByDottedPath) {
  FactStore store;
  ASSERT_TRUE(store.set("cpu.vmx", true, "cpuid"));
  ASSERT_TRUE(store.set("cpu.hypervisor.vendor", "KVMKVMKVM", "cpuid leaf 0x40000000"));
  ASSERT_NE(store.find("cpu.vmx"), nullptr);
  EXPECT_EQ(*store.find("cpu.vmx"), true);
  EXPECT_EQ(*store.find("cpu.hypervisor.vendor"), "KVMKVMKVM");
  EXPECT_EQ(store.find("cpu.svm"), nullptr);
  EXPECT_EQ(store.provenance().at("cpu.hypervisor.vendor"), "cpuid leaf 0x40000000");
}

TEST(FactStore, ReleaseTreeHandsOverEveryFactAndKeepsProvenanceAndReasons) {
  FactStore store;
  store.set("cpu.vmx", true, "cpuid");
  store.set_unknown("cpu.msr", "not root");
  const Json released = store.release_tree();
  EXPECT_EQ(released, Json({{"cpu", {{"vmx", true}, {"msr", nullptr}}}}));
  EXPECT_EQ(store.find("cpu.vmx"), nullptr);
  EXPECT_EQ(store.tree(), Json::object());
  EXPECT_EQ(store.provenance().at("cpu.vmx"), "cpuid");
  EXPECT_EQ(store.unknown_reason("cpu.msr"), "not root");
  // What is set afterwards starts a new tree.
  ASSERT_TRUE(store.set("pci.count", 3, "sysfs"));
  EXPECT_EQ(*store.find("pci.count"), 3);
}

TEST(FactStore, IndexesIntoLists) {
  FactStore store;
  store.set("pci.devices", Json::array({{{"bdf", "0000:00:00.0"}}, {{"bdf", "0000:08:00.0"}}}), "sysfs");
  ASSERT_NE(store.find("pci.devices.1.bdf"), nullptr);
  EXPECT_EQ(*store.find("pci.devices.1.bdf"), "0000:08:00.0");
  EXPECT_EQ(store.find("pci.devices.2.bdf"), nullptr);
  EXPECT_EQ(store.find("pci.devices.x"), nullptr);
}

TEST(FactStore, UnknownCarriesReasonToDescendants) {
  FactStore store;
  store.set_unknown("cpu.msr", "not root: /dev/cpu/0/msr needs root");
  ASSERT_NE(store.find("cpu.msr"), nullptr);
  EXPECT_TRUE(store.find("cpu.msr")->is_null());
  EXPECT_EQ(store.unknown_reason("cpu.msr.vmx_locked"), "not root: /dev/cpu/0/msr needs root");
  EXPECT_EQ(store.unknown_reason("cpu.vmx"), std::nullopt);
}

TEST(FactStore, SettingAValueClearsItsUnknownReason) {
  FactStore store;
  store.set_unknown("xen.version", "not captured");
  store.set("xen.version", "4.17.5", "xl info");
  EXPECT_EQ(store.unknown_reason("xen.version"), std::nullopt);
  EXPECT_EQ(*store.find("xen.version"), "4.17.5");
}

TEST(FactStore, RefusesToWriteThroughAScalar) {
  FactStore store;
  store.set("cpu.vendor", "GenuineIntel", "");
  EXPECT_FALSE(store.set("cpu.vendor.name", "x", ""));
  EXPECT_EQ(*store.find("cpu.vendor"), "GenuineIntel");
}

}  // namespace
}  // namespace ptdoctor
