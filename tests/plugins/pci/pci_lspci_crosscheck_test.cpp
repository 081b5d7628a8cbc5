// The pci plugin against lspci (pciutils) on the same fixture trees: ids, classes, drivers and FLR must agree
// with what the ecosystem's reference tool reads from them. Also reads `lspci -xxx` dumps back (dump method).
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "plugin_harness.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

struct LspciDevice {
  std::string class_code, vendor_id, device_id, driver;
  bool flr = false;
};

std::string run(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return output;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, n);
  ::pclose(pipe);
  return output;
}

std::string lspci(const std::string& root, const std::string& flags) {
  return run(std::string(PTDOCTOR_LSPCI) + " " + flags + " -A linux-sysfs -O sysfs.path=" + root + "/sys/bus/pci 2>/dev/null");
}

std::map<std::string, LspciDevice> parse_verbose(const std::string& text) {
  // "0000:08:00.0 VGA compatible controller [0300]: ... [1002:6719] (rev 00)"
  static const std::regex kHeader(R"(^([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) .*\[([0-9a-f]{4})\]: .*\[([0-9a-f]{4}):([0-9a-f]{4})\])");
  std::map<std::string, LspciDevice> devices;
  std::string current;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_search(line, match, kHeader)) {
      current = match[1];
      devices[current] = {"0x" + match[2].str(), "0x" + match[3].str(), "0x" + match[4].str(), "", false};
    } else if (!current.empty()) {
      const std::string driver_prefix = "\tKernel driver in use: ";
      if (line.rfind(driver_prefix, 0) == 0) devices[current].driver = line.substr(driver_prefix.size());
      if (line.find("FLReset+") != std::string::npos || line.find("AFCap: TP+ FLR+") != std::string::npos) {
        devices[current].flr = true;
      }
    }
  }
  return devices;
}

class PciLspciCrossCheck : public ::testing::TestWithParam<std::string> {};

TEST_P(PciLspciCrossCheck, IdsClassesDriversAndFlrAgreeWithLspci) {
  const std::string root = fixture_host(GetParam());
  auto expected = parse_verbose(lspci(root, "-D -vvv -nn -k"));
  ASSERT_FALSE(expected.empty()) << "lspci printed no device it could parse";
  auto collection = run_plugins({"pci"}, root);
  const Json devices = fact(collection, "pci.devices");
  ASSERT_EQ(devices.size(), expected.size());
  for (const Json& device : devices) {
    const std::string bdf = device["bdf"];
    ASSERT_TRUE(expected.count(bdf)) << bdf;
    const LspciDevice& want = expected[bdf];
    EXPECT_EQ(device["class"], want.class_code) << bdf;
    EXPECT_EQ(device["vendor_id"], want.vendor_id) << bdf;
    EXPECT_EQ(device["device_id"], want.device_id) << bdf;
    EXPECT_EQ(device["driver"].is_null() ? "" : device["driver"].get<std::string>(), want.driver) << bdf;
    EXPECT_EQ(device["flr"], want.flr) << bdf;
  }
}

INSTANTIATE_TEST_SUITE_P(FixtureHosts, PciLspciCrossCheck,
                         ::testing::Values("guide-ich10", "intel-modern", "amd-desktop", "dual-gpu"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) if (c == '-') c = '_';
                           return name;
                         });

TEST(PciDump, ReadsAnLspciHexDumpWithoutSysfs) {
  const std::string dump = lspci(fixture_host("intel-modern"), "-xxxx");
  ASSERT_FALSE(dump.empty()) << "lspci printed nothing";
  TempTree tree;
  const std::string file = tree.write("/lspci-xxxx.txt", dump);
  auto collection = run_plugins({"pci"}, tree.path(), {{"pci-dump", {file}}});
  const Json devices = fact(collection, "pci.devices");
  ASSERT_EQ(devices.size(), 10u);
  Json gpu;
  for (const Json& device : devices) {
    if (device["bdf"] == "0000:01:00.0") gpu = device;
  }
  ASSERT_TRUE(gpu.is_object());
  EXPECT_EQ(gpu["device_id"], "0x67df");
  EXPECT_EQ(gpu["class"], "0x0300");
  EXPECT_EQ(gpu["flr"], false);
  EXPECT_TRUE(gpu["driver"].is_null());  // a dump has no driver
  EXPECT_EQ(fact(collection, "pci.source"), "dump:" + file);
  EXPECT_TRUE(collection.facts.unknown_reason("pci.iommu_groups").has_value());
}

// libpci calls its error handler here (the default one would exit()): the run must go on with a diagnostic.
TEST(PciDump, MalformedDumpIsADiagnosticNotAnExit) {
  TempTree tree;
  const std::string file = tree.write("/dump.txt", "00:00.0 Host bridge\n00: 86 80 zz\n");
  auto collection = run_plugins({"pci"}, tree.path(), {{"pci-dump", {file}}});
  ASSERT_FALSE(collection.diagnostics.empty());
  EXPECT_NE(collection.diagnostics.front().message.find("Malformed line"), std::string::npos);
  EXPECT_TRUE(fact(collection, "pci.devices").is_null());
}

TEST(PciDump, MissingDumpFileIsADiagnosticNotAnExit) {
  TempTree tree;
  auto collection = run_plugins({"pci"}, tree.path(), {{"pci-dump", {tree.at("/absent.txt")}}});
  ASSERT_FALSE(collection.diagnostics.empty());
  EXPECT_NE(collection.diagnostics.front().message.find("Cannot open"), std::string::npos);
  auto again = run_plugins({"pci"}, fixture_host("xhci-only"));  // the process and libpci still work after it
  EXPECT_EQ(fact(again, "pci.count"), 4);
}

}  // namespace
}  // namespace ptdoctor::testing
