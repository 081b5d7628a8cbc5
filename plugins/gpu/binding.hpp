#pragma once
// Whether libxl could assign a function today, and why not, as facts: which driver holds it and what the
// xen-pciback hide lists (running and next boot) say about it. libxl assigns only functions bound to pciback
// (xen-project/xen:tools/libs/light/libxl_pci.c: libxl_pci_assignable() looks the BDF up in
// libxl_device_pci_assignable_list(), which reads /sys/bus/pci/drivers/pciback, and otherwise fails with
// "PCI device %x:%x:%x.%x is not assignable"). pci-stub, vfio-pci or no driver are therefore not assignable.
#include <string>

#include "ptdoctor/facts.hpp"
#include "ptdoctor/json.hpp"

namespace ptdoctor::gpu {

// {"state", "driver", "text"}: state is one of
//   "pciback"         bound to pciback: assignable
//   "hidden-but-held" a hide list in effect this boot names it (the running command line, or modprobe.d with
//                     pciback loaded), yet another driver holds it: the hide list did not take effect
//   "next-boot"       held by a driver now; a hide list configured for the next boot names it
//   "held"            held by a dom0 driver and hidden nowhere
//   "stub"            bound to pci-stub or vfio-pci (the KVM way), which libxl does not use
//   "unbound"         no driver at all
// driver is the bound driver's name (null when none), and text says the state in a sentence for rule messages. Null when the driver is unknown (config-space dump).
Json describe_binding(const FactReader& facts, const std::string& bdf, const Json& driver);

}  // namespace ptdoctor::gpu
