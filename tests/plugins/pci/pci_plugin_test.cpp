// The pci plugin on generated fixture hosts (tests/fixtures/hostgen/pci.py) and on small trees written here.
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>

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

// Shared interrupt lines and BAR pages (plugins/pci/shared_resources.cpp): on the guide-ich10 host (ICH10 UHCIs on
// lines dom0's UHCIs use, GPUs with MSI) and on small trees written here for what the fixture hosts do not have:
// firmware that packs two sub-page BARs into one 4 KiB page, MSI enabled, and unreadable inputs.
std::size_t index_of(const engine::Collection& collection, const std::string& bdf) {
  const Json& devices = fact(collection, "pci.devices");
  for (std::size_t i = 0; i < devices.size(); ++i) {
    if (devices[i]["bdf"] == bdf) return i;
  }
  ADD_FAILURE() << bdf << " not listed";
  return 0;
}

struct Function {
  std::string bdf;
  unsigned pin = 1;              // Interrupt Pin register
  unsigned irq = 16;             // sysfs irq
  unsigned long long bar = 0;    // one 32-bit memory BAR at this address (0: none)
  unsigned long long size = 0;
  unsigned msi_control = 0;      // MSI capability at 0x50 with this Message Control, when msi is set
  bool msi = false;
  std::size_t config_size = 256;
};

// A USB-class type-0 function with one memory BAR and, when asked, an MSI capability: config space, resource and
// irq agree as the kernel writes them.
void write_function(const TempTree& tree, const Function& fn) {
  const std::string dir = "/sys/devices/pci0000:00/" + fn.bdf;
  std::string config(256, '\0');
  config[0] = static_cast<char>(0x86);
  config[1] = static_cast<char>(0x80);
  config[2] = 0x3a;
  config[3] = 0x3a;
  config[0x09] = 0x20;  // EHCI
  config[0x0a] = 0x03;
  config[0x0b] = 0x0c;
  config[0x10] = static_cast<char>(fn.bar & 0xf0);
  config[0x11] = static_cast<char>((fn.bar >> 8) & 0xff);
  config[0x12] = static_cast<char>((fn.bar >> 16) & 0xff);
  config[0x13] = static_cast<char>((fn.bar >> 24) & 0xff);
  config[0x3c] = static_cast<char>(fn.irq);
  config[0x3d] = static_cast<char>(fn.pin);
  if (fn.msi) {
    config[0x06] = 0x10;  // status: capability list
    config[0x34] = 0x50;
    config[0x50] = 0x05;
    config[0x52] = static_cast<char>(fn.msi_control & 0xff);
    config[0x53] = static_cast<char>(fn.msi_control >> 8);
  }
  config.resize(fn.config_size);
  tree.write(dir + "/config", config);
  tree.write(dir + "/vendor", "0x8086\n");
  tree.write(dir + "/device", "0x3a3a\n");
  tree.write(dir + "/class", "0x0c0320\n");
  tree.write(dir + "/irq", std::to_string(fn.irq) + "\n");
  char line[128];
  std::string resource;
  for (int i = 0; i < 13; ++i) {
    if (i == 0 && fn.size) {
      std::snprintf(line, sizeof line, "0x%016llx 0x%016llx 0x%016llx\n", fn.bar, fn.bar + fn.size - 1, 0x40200ULL);
    } else {
      std::snprintf(line, sizeof line, "0x%016llx 0x%016llx 0x%016llx\n", 0ULL, 0ULL, 0ULL);
    }
    resource += line;
  }
  tree.write(dir + "/resource", resource);
  tree.symlink("/sys/bus/pci/devices/" + fn.bdf, "../../../devices/pci0000:00/" + fn.bdf);
}

// device_record makes each record with all its keys (null) before setting them, so that setting each finds its place
// (kRecordKeys in device_record.cpp): a key left in that list after the code setting it is gone would print null on
// every function, which no other test would notice. Every member of a record is set on some function of some
// fixture host, and every record has the same members.
TEST(PciRecords, EveryMemberIsSetOnSomeFixtureFunction) {
  std::map<std::string, int> set_on;
  std::set<std::string> first_keys;
  int records = 0;
  for (const auto& entry : std::filesystem::directory_iterator(fixture_host(""))) {
    if (!entry.is_directory()) continue;
    auto collection = run_plugins({"pci"}, entry.path().string());
    const Json* devices = collection.facts.find("pci.devices");
    if (!devices || !devices->is_array()) continue;
    for (const Json& device : *devices) {
      std::set<std::string> keys;
      for (const auto& [key, value] : device.items()) {
        keys.insert(key);
        set_on[key] += value.is_null() ? 0 : 1;
      }
      if (records++ == 0) first_keys = keys;
      EXPECT_EQ(keys, first_keys) << entry.path() << " " << device.value("bdf", "");
    }
  }
  ASSERT_GT(records, 100);
  EXPECT_EQ(set_on.size(), 36u) << "a member was added or removed: update this count with kRecordKeys";
  for (const auto& [key, count] : set_on) EXPECT_GT(count, 0) << key << " is null on every function";
}

TEST(PciSharedResources, GuideHostUhcisShareLinesWithTheOtherSlot) {
  auto collection = run_plugins({"pci"}, fixture_host("guide-ich10"));
  Json uhci = device(collection, "0000:00:1d.1");
  ASSERT_TRUE(uhci.is_object());
  EXPECT_EQ(uhci["interrupt_pin"], 2);
  EXPECT_EQ(uhci["irq"], 19);
  EXPECT_EQ(uhci["msi"], false);
  EXPECT_EQ(uhci["msix"], false);
  EXPECT_EQ(uhci["shares_irq_with"], Json::array({"0000:00:1a.2"}));
  // The EHCI and the first UHCI of the slot share INTA's line with each other only.
  EXPECT_EQ(device(collection, "0000:00:1d.7")["shares_irq_with"], Json::array({"0000:00:1d.0"}));
  // Each 1 KiB EHCI BAR has its page to itself, as the firmware placed it.
  Json ehci = device(collection, "0000:00:1d.7");
  EXPECT_EQ(ehci["shares_page_with"], Json::array());
  ASSERT_EQ(ehci["bars"].size(), 1u);
  EXPECT_EQ(ehci["bars"][0]["size"], 1024);
  EXPECT_EQ(ehci["bars"][0]["start"].get<std::uint64_t>() % 4096, 0u);
  // The passed Radeon has MSI; pciback leaves it on INTx, so sysfs shows its line, which 00:1a.0 uses as well.
  Json gpu = device(collection, "0000:08:00.0");
  EXPECT_EQ(gpu["msi"], true);
  EXPECT_EQ(gpu["shares_irq_with"], Json::array({"0000:00:1a.0"}));
  // dom0's GeForce runs on MSI: sysfs shows an MSI IRQ, and it shares no line.
  Json geforce = device(collection, "0000:07:00.0");
  EXPECT_GE(geforce["irq"].get<int>(), 24);
  EXPECT_EQ(geforce["shares_irq_with"], Json::array());
  // Host bridges have no interrupt pin.
  EXPECT_EQ(device(collection, "0000:00:00.0")["interrupt_pin"], 0);
  EXPECT_EQ(device(collection, "0000:00:00.0")["shares_irq_with"], Json::array());
}

TEST(PciSharedResources, SubPageBarsPackedIntoOnePageShareIt) {
  TempTree tree;
  // Firmware that packs small BARs: the EHCI's 1 KiB and an SMBus-like 256 bytes in one page, a third function on
  // the next page.
  write_function(tree, {"0000:00:1d.7", 1, 23, 0xf7fff000, 1024});
  write_function(tree, {"0000:00:1f.3", 3, 18, 0xf7fff400, 256});
  write_function(tree, {"0000:00:1a.7", 3, 18, 0xf7ffe000, 1024});
  auto collection = run_plugins({"pci"}, tree.path());
  EXPECT_EQ(device(collection, "0000:00:1d.7")["shares_page_with"], Json::array({"0000:00:1f.3"}));
  EXPECT_EQ(device(collection, "0000:00:1f.3")["shares_page_with"], Json::array({"0000:00:1d.7"}));
  EXPECT_EQ(device(collection, "0000:00:1a.7")["shares_page_with"], Json::array());
  EXPECT_EQ(device(collection, "0000:00:1d.7")["bars"][0]["start"], 0xf7fff000u);
  // Same line 18, both on INTx.
  EXPECT_EQ(device(collection, "0000:00:1a.7")["shares_irq_with"], Json::array({"0000:00:1f.3"}));
}

// Each list names every other function on the page or line, in BDF order, whatever order the BARs lie in.
TEST(PciSharedResources, ThreeOnOnePageAndLineListTheOtherTwoInBdfOrder) {
  TempTree tree;
  write_function(tree, {"0000:00:1a.7", 3, 18, 0xf7fff800, 1024});
  write_function(tree, {"0000:00:1d.7", 3, 18, 0xf7fff000, 1024});
  write_function(tree, {"0000:00:1f.3", 3, 18, 0xf7fff400, 256});
  // The page before and the page after, on another line: neither shares anything.
  write_function(tree, {"0000:00:1b.0", 1, 16, 0xf7ffe000, 4096});
  write_function(tree, {"0000:00:1c.0", 2, 17, 0xf8000000, 4096});
  auto collection = run_plugins({"pci"}, tree.path());
  EXPECT_EQ(device(collection, "0000:00:1a.7")["shares_page_with"], Json::array({"0000:00:1d.7", "0000:00:1f.3"}));
  EXPECT_EQ(device(collection, "0000:00:1d.7")["shares_page_with"], Json::array({"0000:00:1a.7", "0000:00:1f.3"}));
  EXPECT_EQ(device(collection, "0000:00:1f.3")["shares_page_with"], Json::array({"0000:00:1a.7", "0000:00:1d.7"}));
  EXPECT_EQ(device(collection, "0000:00:1f.3")["shares_irq_with"], Json::array({"0000:00:1a.7", "0000:00:1d.7"}));
  for (const char* alone : {"0000:00:1b.0", "0000:00:1c.0"}) {
    EXPECT_EQ(device(collection, alone)["shares_page_with"], Json::array()) << alone;
    EXPECT_EQ(device(collection, alone)["shares_irq_with"], Json::array()) << alone;
  }
}

TEST(PciSharedResources, MsiEnabledFunctionsLeaveTheLine) {
  TempTree tree;
  write_function(tree, {"0000:00:1d.0", 1, 16});
  // MSI capability with MSI Enable set: sysfs irq shows an MSI IRQ, but even a coinciding number is no line.
  write_function(tree, {"0000:00:1f.2", 2, 16, 0, 0, 0x0081, true});
  // MSI capability present but not enabled (no driver): still on INTx.
  write_function(tree, {"0000:00:1b.0", 1, 16, 0, 0, 0x0080, true});
  auto collection = run_plugins({"pci"}, tree.path());
  EXPECT_EQ(device(collection, "0000:00:1d.0")["shares_irq_with"], Json::array({"0000:00:1b.0"}));
  EXPECT_EQ(device(collection, "0000:00:1f.2")["msi"], true);
  EXPECT_EQ(device(collection, "0000:00:1f.2")["shares_irq_with"], Json::array());
  EXPECT_EQ(device(collection, "0000:00:1d.0")["msi"], false);
}

TEST(PciSharedResources, UnreadableInputsMakeTheListsUnknownWithAReason) {
  TempTree tree;
  write_function(tree, {"0000:00:1d.0", 1, 16, 0xf7fff000, 1024});
  // A non-root reader's 64 bytes: the pin is there, the capability list is not.
  Function short_config{"0000:00:1a.0", 1, 16, 0xf7ffe000, 1024};
  short_config.config_size = 64;
  write_function(tree, short_config);
  tree.write("/sys/devices/pci0000:00/0000:00:1d.0/irq", "sixteen\n");
  auto collection = run_plugins({"pci"}, tree.path());
  const std::string ehci = "pci.devices." + std::to_string(index_of(collection, "0000:00:1d.0"));
  const std::string other = "pci.devices." + std::to_string(index_of(collection, "0000:00:1a.0"));
  EXPECT_TRUE(unknown_with_reason(collection, ehci + ".irq"));
  EXPECT_TRUE(unknown_with_reason(collection, ehci + ".shares_irq_with"));
  EXPECT_TRUE(unknown_with_reason(collection, other + ".msi"));
  EXPECT_TRUE(unknown_with_reason(collection, other + ".msix"));
  EXPECT_TRUE(unknown_with_reason(collection, other + ".shares_irq_with"));
  EXPECT_EQ(fact(collection, other + ".interrupt_pin"), 1);
  // BARs are readable everywhere: the page lists stay known.
  EXPECT_EQ(fact(collection, ehci + ".shares_page_with"), Json::array());
}

}  // namespace
}  // namespace ptdoctor::testing
