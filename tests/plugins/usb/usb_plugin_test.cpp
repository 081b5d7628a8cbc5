// The usb plugin on generated fixture hosts (tests/fixtures/hostgen/usb.py over pci.py's controllers).
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "plugin_harness.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

Json controller(const engine::Collection& collection, const std::string& bdf) {
  for (const Json& entry : fact(collection, "usb.controllers")) {
    if (entry["bdf"] == bdf) return entry;
  }
  // A missing device must not pass for one whose fields are unknown: null["rmrr"] is null too.
  ADD_FAILURE() << bdf << " is not in usb.controllers";
  return nullptr;
}

TEST(UsbPlugin, ControllerTypesFromProgIf) {
  auto guide = run_plugins({"pci", "usb"}, fixture_host("guide-ich10"));
  EXPECT_EQ(fact(guide, "usb.count"), 8);
  EXPECT_EQ(controller(guide, "0000:00:1d.0")["type"], "uhci");
  EXPECT_EQ(controller(guide, "0000:00:1d.7")["type"], "ehci");
  auto xhci = run_plugins({"pci", "usb"}, fixture_host("xhci-only"));
  EXPECT_EQ(fact(xhci, "usb.count"), 1);
  EXPECT_EQ(controller(xhci, "0000:00:14.0")["type"], "xhci");
  EXPECT_EQ(controller(xhci, "0000:00:14.0")["companions"], Json::array({"0000:00:14.0"}));
}

TEST(UsbPlugin, EhciCompanionsAreTheUhciFunctionsOfItsSlot) {
  auto guide = run_plugins({"pci", "usb"}, fixture_host("guide-ich10"));
  const Json group = Json::array({"0000:00:1d.0", "0000:00:1d.1", "0000:00:1d.2", "0000:00:1d.7"});
  EXPECT_EQ(controller(guide, "0000:00:1d.7")["companions"], group);
  EXPECT_EQ(controller(guide, "0000:00:1d.1")["companions"], group);
}

TEST(UsbPlugin, DevicesAreClassifiedFromTheirInterfaces) {
  auto guide = run_plugins({"pci", "usb"}, fixture_host("guide-ich10"));
  Json keyboard_controller = controller(guide, "0000:00:1a.0");
  ASSERT_EQ(keyboard_controller["devices"].size(), 1u);
  EXPECT_EQ(keyboard_controller["devices"][0]["class"], "hid-keyboard");
  EXPECT_EQ(keyboard_controller["devices"][0]["product"], "USB Keyboard");
  EXPECT_EQ(keyboard_controller["has_keyboard"], true);
  EXPECT_EQ(controller(guide, "0000:00:1a.1")["devices"][0]["class"], "hid-mouse");
  EXPECT_EQ(controller(guide, "0000:00:1d.7")["devices"][0]["class"], "storage");
  EXPECT_EQ(fact(guide, "usb.keyboards"), Json::array({"0000:00:1a.0"}));
  auto xhci = run_plugins({"pci", "usb"}, fixture_host("xhci-only"));
  EXPECT_EQ(controller(xhci, "0000:00:14.0")["devices"][2]["class"], "video");  // webcam: video + audio
}

// An xHCI registers two root hubs, usb1 (USB 2) and usb2 (USB 3), both below its one PCI function: the USB 3 hub is
// no second controller, and a SuperSpeed stick on it (2-3) belongs to the same xHCI as the keyboard on usb1.
TEST(UsbPlugin, XhciUsb3RootHubIsNoSecondController) {
  auto xhci = run_plugins({"pci", "usb"}, fixture_host("xhci-only"));
  EXPECT_EQ(fact(xhci, "usb.count"), 1);
  const Json devices = controller(xhci, "0000:00:14.0")["devices"];
  std::vector<std::string> paths;
  for (const Json& device : devices) paths.push_back(device["path"]);
  EXPECT_EQ(paths, (std::vector<std::string>{"1-1", "1-2", "1-5", "2-3"}));
  EXPECT_EQ(devices[3]["class"], "storage");
  EXPECT_EQ(fact(xhci, "usb.keyboards"), Json::array({"0000:00:14.0"}));
}

TEST(UsbPlugin, SelectionIsExpandedToCompanionsAndSaysSo) {
  auto collection = run_plugins({"pci", "usb"}, fixture_host("ehci-keyboard"), {{"usb", {"00:1d.7"}}});
  EXPECT_EQ(fact(collection, "usb.selected"),
            Json::array({"0000:00:1d.0", "0000:00:1d.1", "0000:00:1d.2", "0000:00:1d.7"}));
  EXPECT_EQ(fact(collection, "usb.selection_added"), Json::array({"0000:00:1d.0", "0000:00:1d.1", "0000:00:1d.2"}));
  EXPECT_EQ(controller(collection, "0000:00:1d.1")["selected"], true);
  EXPECT_EQ(controller(collection, "0000:00:1a.0")["selected"], false);
}

TEST(UsbPlugin, SelectingTheOnlyKeyboardsControllerIsVisible) {
  auto collection = run_plugins({"pci", "usb"}, fixture_host("ehci-keyboard"), {{"usb", {"0000:00:1d.7"}}});
  EXPECT_EQ(fact(collection, "usb.keyboards"), Json::array({"0000:00:1d.1"}));
  EXPECT_EQ(fact(collection, "usb.keyboard_left_for_dom0"), false);
  const Json vanishing = fact(collection, "usb.selected_devices");
  ASSERT_EQ(vanishing.size(), 1u);
  EXPECT_EQ(vanishing[0]["class"], "hid-keyboard");
  EXPECT_EQ(vanishing[0]["controller"], "0000:00:1d.1");
  EXPECT_EQ(fact(collection, "usb.selected_device_names"),
            Json::array({"3-1 USB Keyboard (hid-keyboard) on 0000:00:1d.1"}));
  auto other = run_plugins({"pci", "usb"}, fixture_host("ehci-keyboard"), {{"usb", {"00:1a.7"}}});
  EXPECT_EQ(fact(other, "usb.keyboard_left_for_dom0"), true);
}

TEST(UsbPlugin, SelectionNamingNoControllerIsReported) {
  auto collection = run_plugins({"pci", "usb"}, fixture_host("xhci-only"), {{"usb", {"00:02.0", "junk"}}});
  EXPECT_EQ(fact(collection, "usb.selection_invalid"), Json::array({"00:02.0", "junk"}));
  EXPECT_EQ(fact(collection, "usb.selected"), Json::array());
}

// A private copy of a fixture host to alter.
void copy_host(const std::string& name, const TempTree& tree) {
  std::filesystem::copy(fixture_host(name), tree.path(),
                        std::filesystem::copy_options::recursive | std::filesystem::copy_options::copy_symlinks);
}

TEST(UsbPlugin, PcibackBoundControllerWithoutItsCompanionsIsListed) {
  TempTree tree;
  copy_host("ehci-keyboard", tree);
  // As in the guide's example, only 00:1d.0 of the 00:1d.* group is hidden.
  tree.symlink("/sys/devices/pci0000:00/0000:00:1d.0/driver", "../../../bus/pci/drivers/pciback");
  auto collection = run_plugins({"pci", "usb"}, tree.path());
  Json uhci = controller(collection, "0000:00:1d.0");
  EXPECT_EQ(uhci["pciback_bound"], true);
  EXPECT_EQ(uhci["companions_not_pciback"], Json::array({"0000:00:1d.1", "0000:00:1d.2", "0000:00:1d.7"}));
  EXPECT_EQ(controller(collection, "0000:00:1a.0")["pciback_bound"], false);
}

TEST(UsbPlugin, BrokenUsbLinksAreDiagnosedAndOtherDevicesKept) {
  TempTree tree;
  copy_host("ehci-keyboard", tree);
  tree.symlink("/sys/bus/usb/devices/9-9", "9-9");
  tree.symlink("/sys/bus/usb/devices/9-8", "../../../devices/platform/9-8");
  tree.mkdir("/sys/devices/platform/9-8");
  auto collection = run_plugins({"pci", "usb"}, tree.path());
  bool loop = false, no_controller = false;
  for (const auto& diagnostic : collection.diagnostics) {
    loop = loop || diagnostic.message.find("/sys/bus/usb/devices/9-9:") != std::string::npos;
    no_controller = no_controller || diagnostic.message.find("9-8: no PCI controller") != std::string::npos;
  }
  EXPECT_TRUE(loop);
  EXPECT_TRUE(no_controller);
  EXPECT_EQ(fact(collection, "usb.keyboards"), Json::array({"0000:00:1d.1"}));
}

TEST(UsbPlugin, WithoutAcpiRmrrSharingIsUnknown) {
  auto collection = run_plugins({"pci", "usb"}, fixture_host("guide-ich10"));
  Json uhci = controller(collection, "0000:00:1d.0");
  ASSERT_TRUE(uhci.contains("rmrr_shared")) << uhci.dump();
  EXPECT_TRUE(uhci["rmrr_shared"].is_null()) << uhci.dump();
}

TEST(UsbPlugin, WithAcpiTheGuidesUsbRmrrIsShared) {
  // Built and staged by the same build: missing is a failure, not a skip.
  ASSERT_EQ(::access(PTDOCTOR_TEST_PLUGIN_DIR "/ptdoctor-acpi.so", R_OK), 0) << "acpi plugin not staged";
  auto collection = run_plugins({"pci", "acpi", "usb"}, fixture_host("guide-ich10"));
  EXPECT_EQ(controller(collection, "0000:00:1d.0")["rmrr_shared"], true);
  EXPECT_EQ(controller(collection, "0000:00:1a.7")["rmrr_shared"], true);
}

TEST(UsbPlugin, WithoutPciFactsControllersAreUnknown) {
  TempTree tree;
  auto collection = run_plugins({"pci", "usb"}, tree.path());
  EXPECT_TRUE(collection.facts.unknown_reason("usb.controllers").has_value());
}

}  // namespace
}  // namespace ptdoctor::testing
