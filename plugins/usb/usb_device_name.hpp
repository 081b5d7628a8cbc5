#pragma once
// Which entries of /sys/bus/usb/devices are USB devices.
#include <string_view>

namespace ptdoctor::usb {

// "<bus>-<port>[.<port>]...", the name Linux gives a device (linux:drivers/usb/core/usb.c usb_alloc_dev:
// "%d-%s" of the bus number and the device path); root hubs are "usbN" and interfaces "N-P:C.I". The regex
// [0-9]+-[0-9]+(\.[0-9]+)* it replaces cost 0.85 M instructions to compile on every run (a tenth of the usb and
// gpu plugins' work on the benchmark VM).
bool is_usb_device_name(std::string_view name);

}  // namespace ptdoctor::usb
