#include "pciback_softdeps.hpp"

#include <algorithm>
#include <set>

namespace ptdoctor {

std::vector<std::string> pciback_softdep_modules(const PcibackSoftdepInputs& inputs) {
  std::set<std::string> modules;
  auto add_driver = [&](std::string driver) {
    std::replace(driver.begin(), driver.end(), '-', '_');
    if (driver.empty() || driver == "pciback" || driver == "pci_stub" || driver == "vfio_pci") return;
    if (driver == "xhci_hcd") driver = "xhci_pci";  // the PCI glue of xhci is its own module
    modules.insert(driver);
  };
  for (const std::string& driver : inputs.bound_drivers) add_driver(driver);
  // The drivers that would take the card when nothing is bound now (already hidden, or first boot).
  if (inputs.gpu_vendor_id == "0x1002") {
    add_driver("radeon");
    add_driver("amdgpu");
  } else if (inputs.gpu_vendor_id == "0x10de") {
    add_driver("nouveau");
  }
  if (inputs.gpu_functions > 1) add_driver("snd_hda_intel");
  for (const std::string& type : inputs.usb_types) {
    if (type == "uhci") add_driver("uhci_hcd");
    if (type == "ehci") add_driver("ehci_pci");
    if (type == "ohci") add_driver("ohci_pci");
    if (type == "xhci") add_driver("xhci_pci");
  }
  return {modules.begin(), modules.end()};
}

std::string pciback_softdep_line(const std::string& module) { return "softdep " + module + " pre: xen-pciback"; }

}  // namespace ptdoctor
