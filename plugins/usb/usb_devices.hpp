#pragma once
// USB devices from /sys/bus/usb/devices, each attached to the PCI controller its sysfs path runs through.
#include <map>
#include <string>
#include <vector>

#include "ptdoctor/host_view.hpp"
#include "ptdoctor/json.hpp"

namespace ptdoctor::usb {

// Controller BDF -> [{path, vendor_id, product_id, product, class, interfaces[]}]. class: "hid-keyboard",
// "hid-mouse", "hid", "storage", "hub", "video", "audio" or "other", from the interface classes.
// problems: entries that could not be read (name and reason).
std::map<std::string, Json> usb_devices_by_controller(const HostView& host, std::vector<std::string>& problems);

}  // namespace ptdoctor::usb
