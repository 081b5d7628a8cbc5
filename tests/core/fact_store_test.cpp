#include <gtest/gtest.h>

#include <charconv>
#include <random>
#include <string>

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

// Rule results and the report hold the tree without copying it; the store must then never change what they hold.
TEST(FactStore, ASharedTreeStaysAsItWasWhenTheStoreChanges) {
  FactStore store;
  store.set("pci.devices", Json::array({{{"bdf", "0000:00:02.0"}}}), "sysfs");
  const Json* bdf = store.find("pci.devices.0.bdf");
  std::shared_ptr<const Json> shared = store.shared_tree();
  EXPECT_EQ(&store.tree(), shared.get()) << "sharing copies nothing";
  store.set("pci.devices", Json::array({{{"bdf", "0000:08:00.0"}}}), "sysfs");
  store.set_unknown("cpu.vmx", "no cpuinfo");
  EXPECT_EQ(*bdf, "0000:00:02.0") << "a pointer into the shared tree stays valid and unchanged";
  EXPECT_EQ(*shared, Json({{"pci", {{"devices", Json::array({{{"bdf", "0000:00:02.0"}}})}}}}));
  EXPECT_EQ(*store.find("pci.devices.0.bdf"), "0000:08:00.0");
  EXPECT_TRUE(store.find("cpu.vmx")->is_null());
  // Once nothing else holds it, the store writes in place again.
  shared.reset();
  const Json* tree = &store.tree();
  store.set("cpu.svm", false, "cpuid");
  EXPECT_EQ(&store.tree(), tree);
}

TEST(FactStore, AMovedFromStoreIsEmptyAndUsable) {
  FactStore store;
  store.set("cpu.vmx", true, "cpuid");
  FactStore moved = std::move(store);
  EXPECT_EQ(*moved.find("cpu.vmx"), true);
  EXPECT_EQ(store.find("cpu.vmx"), nullptr);  // NOLINT(bugprone-use-after-move): what is tested
  EXPECT_EQ(store.tree(), Json::object());
  EXPECT_EQ(*store.shared_tree(), Json::object());
  EXPECT_TRUE(store.set("cpu.vmx", false, "cpuid"));
  EXPECT_EQ(*store.find("cpu.vmx"), false);
  EXPECT_EQ(store.release_tree(), Json({{"cpu", {{"vmx", false}}}}));
}

// find() as it was before it walked the path in place: split into parts, then one step per part. The oracle.
const Json* find_by_split(const Json& tree, std::string_view path) {
  const Json* node = &tree;
  for (const std::string& part : split_fact_path(path)) {
    if (node->is_object()) {
      auto it = node->find(part);
      if (it == node->end()) return nullptr;
      node = &*it;
    } else if (node->is_array()) {
      std::size_t index = 0;
      auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
      if (ec != std::errc() || end != part.data() + part.size() || index >= node->size()) return nullptr;
      node = &(*node)[index];
    } else {
      return nullptr;
    }
  }
  return node;
}

TEST(FactStore, FindsWhatSplittingThePathFound) {
  FactStore store;
  store.set("pci.devices", Json::array({{{"bdf", "0000:00:00.0"}, {"irq", 24}, {"bars", Json::array({1, 2})}},
                                        {{"bdf", "0000:08:00.0"}, {"msi", nullptr}}}),
            "sysfs");
  store.set("cpu.vmx", true, "cpuid");
  store.set_unknown("xen.version", "not captured");
  // Paths built from the tree's own names, indices (also out of range and malformed), empty parts and junk.
  const std::vector<std::string> words = {"pci", "devices", "0", "1", "2", "bdf", "irq", "bars", "msi", "cpu", "vmx",
                                          "xen", "version", "", "01", "+1", "-1", "1x", "18446744073709551616", "x"};
  std::mt19937 random(12);
  for (int round = 0; round < 20000; ++round) {
    std::string path;
    const int parts = static_cast<int>(random() % 6);
    for (int i = 0; i < parts; ++i) path += (i == 0 ? "" : ".") + words[random() % words.size()];
    if (random() % 8 == 0) path = "." + path;
    if (random() % 8 == 0) path += ".";
    EXPECT_EQ(store.find(path), find_by_split(store.tree(), path)) << path;
  }
}

}  // namespace
}  // namespace ptdoctor
