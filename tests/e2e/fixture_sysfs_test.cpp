// The generated fixture hosts must lay out sysfs the way the kernel they claim to run does: a fixture that differs
// from a real dom0 teaches ptdoctor a machine that does not exist (docs/testing-on-real-xen.md, "What the real dom0
// shows that the fixture generators do not"). These checks read the generated trees directly.
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fixture_files.hpp"

namespace ptdoctor::testing {
namespace {

namespace fs = std::filesystem;

// Hosts whose PCI tree is meant to be real; "broken" holds hostile entries on purpose.
std::vector<fs::path> real_host_roots() {
  std::vector<fs::path> roots;
  for (const fs::directory_entry& entry : fs::directory_iterator(PTDOCTOR_FIXTURE_HOSTS_DIR)) {
    if (entry.is_directory() && entry.path().filename() != "broken") roots.push_back(entry.path());
  }
  return roots;
}

struct Function {
  std::string name;  // host/BDF, for messages
  fs::path dir;      // the device directory, links resolved
};

std::vector<Function> pci_functions() {
  std::vector<Function> functions;
  for (const fs::path& root : real_host_roots()) {
    const fs::path devices = root / "sys/bus/pci/devices";
    if (!fs::is_directory(devices)) continue;
    for (const fs::directory_entry& link : fs::directory_iterator(devices)) {
      functions.push_back({root.filename().string() + " " + link.path().filename().string(),
                           fs::canonical(link.path())});
    }
  }
  return functions;
}

// Offset of a standard capability in a config space, 0 when absent.
std::size_t capability(const std::string& config, unsigned char id) {
  if (config.size() < 0x40 || !(static_cast<unsigned char>(config[0x06]) & 0x10)) return 0;
  std::size_t at = static_cast<unsigned char>(config[0x34]);
  for (int hops = 0; at >= 0x40 && at + 1 < config.size() && hops < 48; ++hops) {
    if (static_cast<unsigned char>(config[at]) == id) return at;
    at = static_cast<unsigned char>(config[at + 1]);
  }
  return 0;
}

// linux drivers/pci/pci-sysfs.c shows reset and reset_method only for a function with a reset method, and since
// 5.15 always both; every fixture host runs a 6.x kernel.
TEST(FixtureSysfs, ResetFilesComeTogetherAndOnlyWithAMethod) {
  const std::vector<Function> functions = pci_functions();
  ASSERT_FALSE(functions.empty());
  for (const Function& function : functions) {
    const bool reset = fs::exists(function.dir / "reset");
    const bool method = fs::exists(function.dir / "reset_method");
    EXPECT_EQ(reset, method) << function.name;
    if (method) {
      EXPECT_FALSE(words(slurp(function.dir / "reset_method")).empty()) << function.name;
    }
  }
}

// The methods listed must be the ones Linux finds in the function's own config space (drivers/pci/pci.c
// pci_init_reset_methods): pm exactly when the PM capability says NoSoftRst- (pci_pm_reset; ATI VGA functions off
// the root bus never, drivers/pci/quirks.c quirk_no_pm_reset), flr only with DevCap FLR (pcie_reset_flr), bus
// never on the root bus nor for a bridge (pci_parent_bus_reset).
TEST(FixtureSysfs, ResetMethodsAgreeWithTheConfigSpace) {
  for (const Function& function : pci_functions()) {
    const std::set<std::string> methods = words(slurp(function.dir / "reset_method"));
    const std::string config = slurp(function.dir / "config");
    const std::string bdf = function.dir.filename().string();
    // On a root bus when its parent directory is the host bridge's pci<domain>:<bus> (a server has several).
    const bool root_bus = function.dir.parent_path().filename().string().rfind("pci", 0) == 0;
    const std::size_t pm = capability(config, 0x01);
    const bool no_soft_reset = pm == 0 || pm + 5 >= config.size() || (config[pm + 4] & 0x08);
    const bool ati_vga = slurp(function.dir / "vendor") == "0x1002\n" &&
                         slurp(function.dir / "class").rfind("0x0300", 0) == 0;
    const bool pm_possible = !no_soft_reset && !(ati_vga && !root_bus);
    EXPECT_EQ(methods.count("pm") == 1, pm_possible) << function.name << ": NoSoftRst " << no_soft_reset;
    if (methods.count("flr")) {
      const std::size_t pcie = capability(config, 0x10);
      ASSERT_NE(pcie, 0u) << function.name;
      EXPECT_TRUE(static_cast<unsigned char>(config[pcie + 7]) & 0x10) << function.name << ": DevCap FLR-";
    }
    if (methods.count("bus")) {
      EXPECT_FALSE(root_bus) << function.name;
      EXPECT_EQ(config[0x0E] & 0x7F, 0) << function.name << " is a bridge";
    }
  }
}

std::string hex_field(const fs::path& file) {
  const std::string text = slurp(file);  // "0x10de\n"
  std::string digits;
  for (char c : text.substr(2)) {
    if (c != '\n') digits += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return digits;
}

std::string padded(const std::string& digits, std::size_t width) {
  return std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
}

// Power attributes follow the function's own PM capability as Linux derives them: pci_pm_init sets d3cold_allowed
// only after finding one, and a function without one stays at PCI_UNKNOWN ("unknown") until a driver enables it
// (the lab's host bridge and LPC bridge show exactly that). Host bridges have no PM capability (Intel's list only a
// vendor-specific one, AMD's and QEMU's none), except the X58/5520 IOH's ESI port 8086:3405.
TEST(FixtureSysfs, PowerAttributesFollowThePmCapability) {
  for (const Function& function : pci_functions()) {
    const std::string config = slurp(function.dir / "config");
    const bool pm = capability(config, 0x01) != 0;
    EXPECT_EQ(slurp(function.dir / "d3cold_allowed"), pm ? "1\n" : "0\n") << function.name;
    const bool enabled = slurp(function.dir / "enable") == "1\n";
    EXPECT_EQ(slurp(function.dir / "power_state") == "unknown\n", !pm && !enabled) << function.name;
    const bool host_bridge = slurp(function.dir / "class").rfind("0x0600", 0) == 0;
    const bool x58_esi =
        slurp(function.dir / "vendor") == "0x8086\n" && slurp(function.dir / "device") == "0x3405\n";
    if (host_bridge && !x58_esi) {
      EXPECT_FALSE(pm) << function.name;
      EXPECT_FALSE(fs::exists(function.dir / "reset_method")) << function.name << ": a root-bus host bridge has none";
    }
  }
}

// firmware_node points at the ACPI device the DSDT describes the function with (drivers/acpi/glue.c acpi_bind_one):
// a device:NN below its host bridge's PNP0A08 node, nested below its bridge's node when it sits behind one, and
// never shared (the lab's dom0: 00:02.0 -> ../../LNXSYSTM:00/LNXSYBUS:00/PNP0A08:00/device:01).
TEST(FixtureSysfs, FirmwareNodesNestLikeThePciTree) {
  std::set<fs::path> seen;
  for (const Function& function : pci_functions()) {
    const fs::path link = function.dir / "firmware_node";
    if (!fs::is_symlink(link)) continue;
    const fs::path node = fs::canonical(link);
    EXPECT_TRUE(fs::is_directory(node)) << function.name;
    EXPECT_TRUE(seen.insert(node).second) << function.name << " shares " << node;
    EXPECT_EQ(node.filename().string().rfind("device:", 0), 0u) << function.name;
    // The parent directory is the host bridge (pci0000:NN) or the bridge the function sits behind.
    const fs::path parent_node = function.dir.parent_path() / "firmware_node";
    ASSERT_TRUE(fs::is_symlink(parent_node)) << function.name;
    EXPECT_EQ(fs::canonical(parent_node), node.parent_path()) << function.name;
  }
  EXPECT_FALSE(seen.empty());
}

// The attributes every function of a 6.1 kernel has (drivers/pci/pci-sysfs.c), as the lab's dom0 shows them, with
// modalias and uevent built from the function's own IDs (modalias_show, pci-driver.c pci_uevent), resourceN beside
// each BAR `resource` lists and rom beside a ROM.
TEST(FixtureSysfs, EveryFunctionHasTheKernelsAttributesFromItsOwnIds) {
  for (const Function& function : pci_functions()) {
    const fs::path& dir = function.dir;
    for (const char* name : {"enable", "driver_override", "numa_node", "power_state", "d3cold_allowed", "msi_bus",
                             "local_cpus", "local_cpulist", "broken_parity_status", "ari_enabled",
                             "dma_mask_bits", "consistent_dma_mask_bits"}) {
      EXPECT_FALSE(slurp(dir / name).empty()) << function.name << " " << name;
    }
    EXPECT_EQ(fs::canonical(dir / "subsystem").filename(), "pci") << function.name;
    const std::string cls = padded(hex_field(dir / "class"), 6);
    const std::string modalias = "pci:v" + padded(hex_field(dir / "vendor"), 8) + "d" +
                                 padded(hex_field(dir / "device"), 8) + "sv" +
                                 padded(hex_field(dir / "subsystem_vendor"), 8) + "sd" +
                                 padded(hex_field(dir / "subsystem_device"), 8) + "bc" + cls.substr(0, 2) + "sc" +
                                 cls.substr(2, 2) + "i" + cls.substr(4, 2);
    EXPECT_EQ(slurp(dir / "modalias"), modalias + "\n") << function.name;
    const std::string uevent = slurp(dir / "uevent");
    EXPECT_NE(uevent.find("\nMODALIAS=" + modalias + "\n"), std::string::npos) << function.name;
    EXPECT_NE(uevent.find("PCI_SLOT_NAME=" + dir.filename().string() + "\n"), std::string::npos) << function.name;
    const bool bound = fs::is_symlink(dir / "driver");
    // mm/dmapool.c: `pools` beside the first DMA pool a driver creates, as every USB host controller driver does
    // (hcd_buffer_create); the lab's uhci_hcd and ehci-pci functions have it, its other functions not.
    const std::string driver = bound ? fs::read_symlink(dir / "driver").filename().string() : "";
    if (driver == "uhci_hcd" || driver == "ehci-pci" || driver == "xhci_hcd") {
      EXPECT_TRUE(fs::exists(dir / "pools")) << function.name;
    }
    if (driver == "snd_hda_intel" || driver == "ahci" || !bound) {
      EXPECT_FALSE(fs::exists(dir / "pools")) << function.name;
    }
    EXPECT_EQ(uevent.rfind("DRIVER=", 0) == 0, bound) << function.name;
    std::istringstream resource(slurp(dir / "resource"));
    std::string start, end, flags;
    for (int index = 0; index <= 6 && resource >> start >> end >> flags; ++index) {
      const bool present = end != "0x0000000000000000";
      // The boot VGA function has rom without a ROM BAR too: the shadow copy of the video BIOS
      // (arch/x86/pci/fixup.c pci_fixup_video).
      const bool shadow_rom = index == 6 && slurp(dir / "boot_vga") == "1\n";
      const std::string file = index == 6 ? "rom" : "resource" + std::to_string(index);
      EXPECT_EQ(fs::exists(dir / file), present || shadow_rom) << function.name << " " << file;
    }
  }
}

// Each root hub usbN has its interface N-0:1.0, of the hub class, which the hub driver binds (linux
// drivers/usb/core/hcd.c hs_rh_config_descriptor), and /sys/bus/usb/devices lists both, as in the lab's dom0.
TEST(FixtureSysfs, EveryRootHubHasItsHubInterface) {
  int hubs = 0;
  for (const fs::path& root : real_host_roots()) {
    const fs::path devices = root / "sys/bus/usb/devices";
    if (!fs::is_directory(devices)) continue;
    for (const fs::directory_entry& link : fs::directory_iterator(devices)) {
      const std::string name = link.path().filename().string();
      if (name.rfind("usb", 0) != 0) continue;
      ++hubs;
      const std::string interface = name.substr(3) + "-0:1.0";
      const std::string where = root.filename().string() + " " + name;
      ASSERT_TRUE(fs::exists(devices / interface)) << where;
      EXPECT_EQ(fs::canonical(devices / interface), fs::canonical(link.path()) / interface) << where;
      EXPECT_EQ(slurp(devices / interface / "bInterfaceClass"), "09\n") << where;
    }
  }
  EXPECT_GT(hubs, 0);
}

}  // namespace
}  // namespace ptdoctor::testing
