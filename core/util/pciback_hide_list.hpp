#pragma once
// The one way ptdoctor writes a xen-pciback hide list, shared by the planner (the words and files it writes) and the
// rule texts (`{path|pciback-hide}`), so what a fix tells the user is what `fix` would write.
//
// torvalds/linux:drivers/xen/xen-pciback/pci_stub.c pcistub_init(): the list is a run of "(DDDD:BB:DD.F)" or
// "(BB:DD.F)" groups with nothing between them; a comma or a space makes the parse stop with "Error parsing
// pci_devs_to_hide", and then no device is hidden.
#include <string>
#include <vector>

namespace ptdoctor {

// "(0000:03:00.0)(0000:03:00.1)" for {"0000:03:00.0", "0000:03:00.1"}.
std::string pciback_hide_list(const std::vector<std::string>& bdfs);

}  // namespace ptdoctor
