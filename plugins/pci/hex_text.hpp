#pragma once
// The hex forms of the pci facts' ids and addresses, written by hand: snprintf was 8 M instructions of `facts` on a
// 1,024-function host (eight ids and two addresses per function), for output it gives byte for byte
// (hex_text_test.cpp holds both to it).
#include <string>

namespace ptdoctor::pci {

// "0x" and `value` in lowercase hex with at least `digits` digits (1-8), as snprintf("0x%0*x", digits, value).
std::string hex_id(unsigned value, int digits);
// "DDDD:BB:DD.F", as snprintf("%04x:%02x:%02x.%x", domain, bus, device, function).
std::string bdf_text(unsigned domain, unsigned bus, unsigned device, unsigned function);

}  // namespace ptdoctor::pci
