// The usb plugin: USB host controllers, their EHCI companion groups (which must be passed together), the USB
// devices on each (is dom0's keyboard there?), RMRRs covering them, and the user's --usb choice expanded.
#include <algorithm>
#include <map>
#include <set>

#include "pci_facts_view.hpp"
#include "ptdoctor/plugin_api.hpp"
#include "usb_devices.hpp"

namespace ptdoctor::usb {
namespace {

// PCI class 0x0c03 prog-if -> controller type (REFERENCE §8).
const std::map<std::string, std::string> kTypes = {
    {"0x00", "uhci"}, {"0x10", "ohci"}, {"0x20", "ehci"}, {"0x30", "xhci"}};
// Only pciback-bound controllers are assignable (libxl_pci.c libxl_pci_assignable); pci-stub is the KVM way.
const std::string kPciback = "pciback";

std::string bus_and_slot(const std::string& bdf) { return pci::slot_of(bdf); }

// EHCI shares its ports with the UHCI/OHCI companions in its slot (Linux hcd-pci.c for_each_companion).
std::vector<std::string> companions(const std::string& bdf, const std::string& type,
                                    const std::map<std::string, std::string>& types) {
  if (type == "xhci") return {bdf};
  std::vector<std::string> group;
  bool slot_has_ehci = false;
  for (const auto& [other, other_type] : types) {
    if (bus_and_slot(other) != bus_and_slot(bdf)) continue;
    if (other_type == "ehci") slot_has_ehci = true;
    if (other_type != "xhci") group.push_back(other);
  }
  if (!slot_has_ehci) return {bdf};
  return group;
}

Json expand_selection(const std::vector<std::string>& given, const std::map<std::string, Json>& controllers,
                      FactWriter& out) {
  std::set<std::string> selected, named;
  Json not_controllers = Json::array();
  for (const std::string& text : given) {
    auto bdf = pci::normalize_bdf(text);
    if (!bdf || !controllers.count(*bdf)) {
      not_controllers.push_back(text);
      continue;
    }
    named.insert(*bdf);
    for (const Json& companion : controllers.at(*bdf)["companions"]) selected.insert(companion.get<std::string>());
  }
  Json added = Json::array();
  for (const std::string& bdf : selected) {
    if (!named.count(bdf)) added.push_back(bdf);
  }
  out.set("selection_added", added, "EHCI companion groups");
  out.set("selection_invalid", not_controllers, "options usb");
  return Json(std::vector<std::string>(selected.begin(), selected.end()));
}

class UsbPlugin final : public Plugin {
 public:
  PluginInfo info() const override {
    return {"usb",
            "1.0.0",
            "usb",
            "USB controllers, EHCI companion groups, attached devices (keyboards), RMRRs, --usb selection",
            {},  // provides: declared once in plugins/usb/facts.yaml, filled in by the core
            {"pci", "acpi"}};
  }

  void collect(const CollectContext& context, FactWriter& out) override {
    pci::PciFactsView pci(context.facts);
    if (!pci.available()) {
      const std::string why = "no PCI device list: " + pci.reason();
      out.unknown("controllers", why);
      out.unknown("selected", why);
      return;
    }
    std::map<std::string, std::string> types;
    for (const Json& device : pci.devices()) {
      if (device.value("class", "") != "0x0c03") continue;
      auto type = kTypes.find(device.value("prog_if", ""));
      if (type != kTypes.end()) types[device["bdf"]] = type->second;
    }
    std::vector<std::string> problems;
    auto attached = usb_devices_by_controller(context.host, problems);
    for (const std::string& problem : problems) out.diagnostic(problem);
    const bool usb_tree = context.host.exists("/sys/bus/usb/devices");

    std::map<std::string, Json> controllers;
    for (const auto& [bdf, type] : types) {
      Json controller;
      controller["bdf"] = bdf;
      controller["type"] = type;
      controller["companions"] = companions(bdf, type, types);
      controller["driver"] = pci.device(bdf)->value("driver", Json());
      const Json& driver = controller["driver"];
      controller["pciback_bound"] = driver == kPciback;
      Json devices = attached.count(bdf) ? attached[bdf] : Json::array();
      controller["devices"] = usb_tree ? devices : Json();
      bool keyboard = false;
      for (const Json& device : devices) keyboard = keyboard || device["class"] == "hid-keyboard";
      controller["has_keyboard"] = usb_tree ? Json(keyboard) : Json();
      Json rmrr = pci::rmrrs_covering(context.facts, bdf);
      controller["rmrr"] = rmrr;
      if (rmrr.is_null()) {
        controller["rmrr_shared"] = nullptr;
        controller["rmrr_shared_with"] = nullptr;
      } else {
        std::set<std::string> shared;
        for (const Json& region : rmrr) {
          for (const Json& other : region["shared_with"]) shared.insert(other.get<std::string>());
        }
        controller["rmrr_shared"] = !shared.empty();
        controller["rmrr_shared_with"] = std::vector<std::string>(shared.begin(), shared.end());
      }
      controllers[bdf] = controller;
    }
    // Companions bound to different drivers are a half-passed group: list them for the rules.
    for (auto& [bdf, controller] : controllers) {
      Json missing = Json::array();
      for (const Json& companion : controller["companions"]) {
        if (controllers[companion.get<std::string>()]["pciback_bound"] != true) missing.push_back(companion);
      }
      controller["companions_not_pciback"] = missing;
    }
    auto given = context.options.find("usb");
    Json selected = expand_selection(given == context.options.end() ? std::vector<std::string>{} : given->second,
                                     controllers, out);
    Json list = Json::array(), selected_devices = Json::array(), keyboards = Json::array();
    Json selected_names = Json::array();
    bool keyboard_left = false;
    for (auto& [bdf, controller] : controllers) {
      const bool is_selected = std::find(selected.begin(), selected.end(), Json(bdf)) != selected.end();
      controller["selected"] = is_selected;
      if (controller["has_keyboard"] == true) {
        keyboards.push_back(bdf);
        if (!is_selected) keyboard_left = true;
      }
      if (is_selected && controller["devices"].is_array()) {
        for (Json device : controller["devices"]) {
          device["controller"] = bdf;
          selected_names.push_back(device["path"].get<std::string>() + " " +
                                   (device["product"].is_string() ? device["product"].get<std::string>() : "?") +
                                   " (" + device["class"].get<std::string>() + ") on " + bdf);
          selected_devices.push_back(device);
        }
      }
      list.push_back(controller);
    }
    const std::string source = "pci.devices (class 0x0c03), /sys/bus/usb/devices, acpi.dmar.rmrr";
    out.set("controllers", list, source);
    out.set("count", list.size(), source);
    out.set("selected", selected, "options usb, expanded to EHCI companion groups");
    if (usb_tree) {
      out.set("selected_devices", selected_devices, "/sys/bus/usb/devices");
      out.set("selected_device_names", selected_names, "/sys/bus/usb/devices");
      out.set("keyboards", keyboards, "/sys/bus/usb/devices (HID boot keyboards)");
      out.set("keyboard_left_for_dom0", keyboards.empty() ? Json() : Json(keyboard_left),
              "/sys/bus/usb/devices");
      if (keyboards.empty()) out.unknown("keyboard_left_for_dom0", "no USB keyboard found (PS/2 or none)");
    } else {
      const char* why = "no /sys/bus/usb/devices under the root";
      out.unknown("selected_devices", why);
      out.unknown("selected_device_names", why);
      out.unknown("keyboards", why);
      out.unknown("keyboard_left_for_dom0", why);
    }
  }
};

}  // namespace
}  // namespace ptdoctor::usb

PTDOCTOR_PLUGIN(ptdoctor::usb::UsbPlugin)
