// Hostile /sys/bus/pci trees: libpci follows links with the real kernel, so the plugin must refuse whatever
// would take it outside the root, hang it, or make it call exit(). Each case leaves one good device beside the
// bad entry, so the test also proves that enumeration goes on.
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "plugin_harness.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

// A minimal type-0 function: config header with the ids, the files libpci's sysfs scan insists on.
void write_function(const TempTree& tree, const std::string& bdf, unsigned vendor, unsigned device,
                    std::size_t config_size = 256) {
  const std::string dir = "/sys/devices/pci0000:00/" + bdf;
  std::string config(config_size, '\0');
  if (config_size >= 4) {
    config[0] = static_cast<char>(vendor & 0xff);
    config[1] = static_cast<char>(vendor >> 8);
    config[2] = static_cast<char>(device & 0xff);
    config[3] = static_cast<char>(device >> 8);
  }
  if (config_size > 0x0b) config[0x0b] = 0x02;  // mass storage: nothing display-like
  tree.write(dir + "/config", config);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%04x\n", vendor);
  tree.write(dir + "/vendor", buffer);
  std::snprintf(buffer, sizeof buffer, "0x%04x\n", device);
  tree.write(dir + "/device", buffer);
  tree.write(dir + "/class", "0x020000\n");
  tree.write(dir + "/irq", "0\n");
  tree.write(dir + "/resource", "0x0 0x0 0x0\n");
  tree.symlink("/sys/bus/pci/devices/" + bdf, "../../../devices/pci0000:00/" + bdf);
}

Json bdfs(const engine::Collection& collection) {
  Json list = Json::array();
  for (const Json& device : fact(collection, "pci.devices")) list.push_back(device["bdf"]);
  return list;
}

bool diagnostic_mentions(const engine::Collection& collection, const std::string& text) {
  for (const auto& diagnostic : collection.diagnostics) {
    if (diagnostic.message.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(PciHostileTree, AbsoluteLinkToTheRealSysIsRefused) {
  TempTree tree;
  write_function(tree, "0000:00:00.0", 0x8086, 0x1234);
  // On a real machine this would make libpci read this machine's own host bridge.
  tree.symlink("/sys/bus/pci/devices/0000:00:01.0", "/sys/devices/pci0000:00/0000:00:00.0");
  auto collection = run_plugins({"pci"}, tree.path());
  EXPECT_EQ(bdfs(collection), Json::array({"0000:00:00.0"}));
  EXPECT_TRUE(diagnostic_mentions(collection, "0000:00:01.0: absolute link target"));
}

TEST(PciHostileTree, RelativeLinkClimbingAboveTheRootIsRefused) {
  TempTree tree;
  write_function(tree, "0000:00:00.0", 0x8086, 0x1234);
  // Inside the root this resolves to /sys/devices/...; the kernel would go past the root to the real /sys.
  tree.symlink("/sys/bus/pci/devices/0000:00:02.0",
               "../../../../../../../../../../../../sys/devices/pci0000:00/0000:00:00.0");
  auto collection = run_plugins({"pci"}, tree.path());
  EXPECT_EQ(bdfs(collection), Json::array({"0000:00:00.0"}));
  EXPECT_TRUE(diagnostic_mentions(collection, "climbs above the root"));
}

TEST(PciHostileTree, LinkLoopIsRefused) {
  TempTree tree;
  write_function(tree, "0000:00:00.0", 0x8086, 0x1234);
  tree.symlink("/sys/devices/pci0000:00/loop-a", "loop-b");
  tree.symlink("/sys/devices/pci0000:00/loop-b", "loop-a");
  tree.symlink("/sys/bus/pci/devices/0000:00:03.0", "../../../devices/pci0000:00/loop-a");
  auto collection = run_plugins({"pci"}, tree.path());
  EXPECT_EQ(bdfs(collection), Json::array({"0000:00:00.0"}));
  EXPECT_TRUE(diagnostic_mentions(collection, "0000:00:03.0: link cannot be resolved"));
}

TEST(PciHostileTree, TruncatedConfigGivesUnknownHeaderAndADiagnostic) {
  TempTree tree;
  write_function(tree, "0000:00:00.0", 0x8086, 0x1234);
  write_function(tree, "0000:00:04.0", 0x1002, 0x67df, 17);
  auto collection = run_plugins({"pci"}, tree.path());
  ASSERT_EQ(bdfs(collection), Json::array({"0000:00:00.0", "0000:00:04.0"}));
  const Json truncated = fact(collection, "pci.devices")[1];
  EXPECT_EQ(truncated["vendor_id"], "0x1002");  // ids still come from the sysfs files
  EXPECT_TRUE(unknown_with_reason(collection, "pci.devices.1.multifunction"));
  EXPECT_TRUE(unknown_with_reason(collection, "pci.devices.1.flr"));
  EXPECT_TRUE(diagnostic_mentions(collection, "0000:00:04.0/config: config space is 17 bytes"));
}

TEST(PciHostileTree, FifoAndSymlinkedAttributesAreRefusedWithoutHanging) {
  TempTree tree;
  write_function(tree, "0000:00:00.0", 0x8086, 0x1234);
  write_function(tree, "0000:00:05.0", 0x8086, 0x5555);
  const std::string fifo = tree.at("/sys/devices/pci0000:00/0000:00:05.0/config");
  ::unlink(fifo.c_str());
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  write_function(tree, "0000:00:06.0", 0x8086, 0x6666);
  tree.symlink("/sys/devices/pci0000:00/0000:00:06.0/vendor", "/proc/self/environ");
  auto collection = run_plugins({"pci"}, tree.path());
  EXPECT_EQ(bdfs(collection), Json::array({"0000:00:00.0"}));
  EXPECT_TRUE(diagnostic_mentions(collection, "0000:00:05.0/config is not a regular file"));
  EXPECT_TRUE(diagnostic_mentions(collection, "0000:00:06.0/vendor is missing or not a regular file"));
}

// The guard types the device directory's entries from one listing: a file libpci opens that is a directory, a
// link to a regular file inside the root, or an optional file that is a link out of the root is refused as surely
// as a FIFO; an entry that links to a file instead of a directory, and a device directory that is a link loop
// inside /sys/devices, are refused before any listing.
TEST(PciHostileTree, AttributesThatAreNotPlainFilesAreRefusedFromTheListing) {
  TempTree tree;
  TempTree outside;
  outside.write("/rom", "the real machine's option ROM");
  write_function(tree, "0000:00:00.0", 0x8086, 0x1234);
  const std::string devices = "/sys/devices/pci0000:00/";
  write_function(tree, "0000:00:08.0", 0x8086, 0x0808);
  ::unlink(tree.at(devices + "0000:00:08.0/irq").c_str());
  tree.mkdir(devices + "0000:00:08.0/irq");
  write_function(tree, "0000:00:09.0", 0x8086, 0x0909);
  tree.write(devices + "0000:00:09.0/class.real", "0x020000\n");
  ::unlink(tree.at(devices + "0000:00:09.0/class").c_str());
  tree.symlink(devices + "0000:00:09.0/class", "class.real");  // inside the root, but libpci would follow it
  write_function(tree, "0000:00:0a.0", 0x8086, 0x0a0a);
  tree.symlink(devices + "0000:00:0a.0/rom", outside.at("/rom"));
  tree.write(devices + "0000:00:0b.0", "a file where the device directory should be\n");
  tree.symlink("/sys/bus/pci/devices/0000:00:0b.0", "../../../devices/pci0000:00/0000:00:0b.0");
  tree.symlink(devices + "0000:00:0c.0", "0000:00:0c.0");
  tree.symlink("/sys/bus/pci/devices/0000:00:0c.0", "../../../devices/pci0000:00/0000:00:0c.0");
  auto collection = run_plugins({"pci"}, tree.path());
  EXPECT_EQ(bdfs(collection), Json::array({"0000:00:00.0"}));
  EXPECT_TRUE(diagnostic_mentions(collection, "0000:00:08.0/irq is missing or not a regular file"));
  EXPECT_TRUE(diagnostic_mentions(collection, "0000:00:09.0/class is missing or not a regular file"));
  EXPECT_TRUE(diagnostic_mentions(collection, "0000:00:0a.0/rom is not a regular file (symlink"));
  EXPECT_TRUE(diagnostic_mentions(collection, "0000:00:0b.0 is not a readable directory"));
  EXPECT_TRUE(diagnostic_mentions(collection, "0000:00:0c.0: link cannot be resolved"));
}

// The kernel names every entry DDDD:BB:DD.F in lower-case hex with a device number below 0x20 and a function
// below 8; any other name is not one it made. The highest legal address is kept, every near miss refused.
TEST(PciHostileTree, EntriesNotNamedLikeAPciAddressAreRefused) {
  TempTree tree;
  write_function(tree, "0000:ff:1f.7", 0x8086, 0x1234);
  const std::vector<std::string> near_misses = {"0000:00:20.0",  "0000:00:1f.8", "0000:00:1F.0", "0000:0g:00.0",
                                                "000:00:00.0",   "0000:00:00.00", "0000-00:00.0", "0000:00:00:0"};
  for (const std::string& name : near_misses) {
    tree.symlink("/sys/bus/pci/devices/" + name, "../../../devices/pci0000:00/0000:ff:1f.7");
  }
  auto collection = run_plugins({"pci"}, tree.path());
  EXPECT_EQ(bdfs(collection), Json::array({"0000:ff:1f.7"}));
  for (const std::string& name : near_misses) {
    EXPECT_TRUE(diagnostic_mentions(collection, name + ": the name is not a PCI address")) << name;
  }
}

TEST(PciHostileTree, GarbageAttributesAreDiagnosedAndOtherEntriesKept) {
  TempTree tree;
  write_function(tree, "0000:00:00.0", 0x8086, 0x1234);
  write_function(tree, "0000:00:07.0", 0x8086, 0x7777);
  // libpci 3.9 calls its error handler on this file (the default handler would exit()): refused beforehand.
  tree.write("/sys/devices/pci0000:00/0000:00:07.0/resource", "not hex at all\n");
  tree.write("/sys/bus/pci/devices/not-a-bdf", "");
  auto collection = run_plugins({"pci"}, tree.path());
  EXPECT_TRUE(diagnostic_mentions(collection, "not-a-bdf: the name is not a PCI address"));
  EXPECT_TRUE(diagnostic_mentions(collection, "0000:00:07.0/resource: line 1: expected three hex numbers"));
  EXPECT_EQ(bdfs(collection), Json::array({"0000:00:00.0"}));
}

TEST(PciHostileTree, BrokenFixtureHostKeepsTheGoodFunctionsOnly) {
  auto collection = run_plugins({"pci", "gpu"}, fixture_host("broken"));
  EXPECT_EQ(bdfs(collection), Json::array({"0000:00:00.0", "0000:00:04.0"}));
  EXPECT_TRUE(diagnostic_mentions(collection, "0000:00:01.0: absolute link target"));
  EXPECT_TRUE(diagnostic_mentions(collection, "0000:00:02.0: link target"));
  EXPECT_TRUE(diagnostic_mentions(collection, "0000:00:03.0: link cannot be resolved"));
  EXPECT_TRUE(diagnostic_mentions(collection, "0000:00:04.0/config: config space is 20 bytes"));
  // The GPU with the cut config space is still a candidate, with what config space would have told unknown.
  EXPECT_EQ(fact(collection, "gpu.target"), "0000:00:04.0");
  EXPECT_TRUE(unknown_with_reason(collection, "gpu.target_info.flr"));
}

}  // namespace
}  // namespace ptdoctor::testing
