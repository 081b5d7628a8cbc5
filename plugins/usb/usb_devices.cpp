#include "usb_devices.hpp"

#include "usb_device_name.hpp"


#include "pci_facts_view.hpp"

namespace ptdoctor::usb {
namespace {

constexpr const char* kUsbDevicesDir = "/sys/bus/usb/devices";

std::string attribute(const HostView& host, const std::string& path) {
  auto text = host.read_file(path, 4096);
  if (!text) return {};
  std::string value = *text;
  while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) value.pop_back();
  return value;
}

// USB class codes (usb.org defined class codes): HID 03 (boot subclass 01: protocol 01 keyboard, 02 mouse),
// mass storage 08, hub 09, video 0e, audio 01.
std::string classify(const Json& interfaces) {
  bool hid = false, mouse = false;
  for (const Json& interface : interfaces) {
    const std::string cls = interface["class"], sub = interface["subclass"], proto = interface["protocol"];
    if (cls == "03" && sub == "01" && proto == "01") return "hid-keyboard";
    if (cls == "03" && sub == "01" && proto == "02") mouse = true;
    if (cls == "03") hid = true;
  }
  if (mouse) return "hid-mouse";
  if (hid) return "hid";
  for (const Json& interface : interfaces) {
    const std::string cls = interface["class"];
    if (cls == "08") return "storage";
    if (cls == "09") return "hub";
    if (cls == "0e") return "video";
    if (cls == "01") return "audio";
  }
  return "other";
}

// The last PCI function on the resolved path is the controller the device hangs off.
std::string controller_of(const std::string& resolved) {
  std::string controller;
  std::size_t start = 0;
  while (start < resolved.size()) {
    std::size_t end = resolved.find('/', start);
    if (end == std::string::npos) end = resolved.size();
    const std::string part = resolved.substr(start, end - start);
    if (pci::normalize_bdf(part) && part.size() == 12) controller = part;
    start = end + 1;
  }
  return controller;
}

}  // namespace

std::map<std::string, Json> usb_devices_by_controller(const HostView& host, std::vector<std::string>& problems) {
  std::map<std::string, Json> by_controller;
  auto entries = host.list_dir(kUsbDevicesDir);
  if (!entries) return by_controller;
  for (const std::string& name : *entries) {
    if (!is_usb_device_name(name)) continue;  // root hubs usbN and interfaces N-P:C.I
    const std::string link = std::string(kUsbDevicesDir) + "/" + name;
    auto resolved = host.resolve(link);
    if (!resolved) {
      problems.push_back(link + ": " + resolved.error().message + "; the device is left out");
      continue;
    }
    const std::string controller = controller_of(*resolved);
    if (controller.empty()) {
      problems.push_back(link + " -> " + *resolved + ": no PCI controller on the path; the device is left out");
      continue;
    }
    Json interfaces = Json::array();
    auto children = host.list_dir(*resolved);
    if (children) {
      for (const std::string& child : *children) {
        if (child.rfind(name + ":", 0) != 0) continue;
        const std::string dir = *resolved + "/" + child;
        interfaces.push_back({{"name", child},
                              {"class", attribute(host, dir + "/bInterfaceClass")},
                              {"subclass", attribute(host, dir + "/bInterfaceSubClass")},
                              {"protocol", attribute(host, dir + "/bInterfaceProtocol")}});
      }
    }
    const std::string product = attribute(host, *resolved + "/product");
    Json device = {{"path", name},
                   {"vendor_id", attribute(host, *resolved + "/idVendor")},
                   {"product_id", attribute(host, *resolved + "/idProduct")},
                   {"product", product.empty() ? Json() : Json(product)},
                   {"class", classify(interfaces)},
                   {"interfaces", interfaces}};
    if (!by_controller.count(controller)) by_controller[controller] = Json::array();
    by_controller[controller].push_back(device);
  }
  return by_controller;
}

}  // namespace ptdoctor::usb
