#pragma once
// Which dom0 drivers must wait for xen-pciback, and the modprobe.d line that makes them wait: shared by the planner
// (the softdep lines it writes) and the rule texts (`{gpu.target_info|pciback-softdeps}`), so a fix names the
// drivers of this host's card, the ones `fix` would write, never an example driver.
//
// modprobe.d(5) "softdep MODULE pre: xen-pciback" loads pciback before MODULE, so pciback's hide list claims the
// devices before their drivers probe (torvalds/linux:drivers/xen/xen-pciback/pci_stub.c).
#include <string>
#include <vector>

namespace ptdoctor {

struct PcibackSoftdepInputs {
  std::vector<std::string> bound_drivers;  // drivers bound now to the devices to hide (sysfs names)
  std::string gpu_vendor_id;               // "0x1002", "0x10de", "" for no GPU
  std::size_t gpu_functions = 0;           // the GPU's functions; more than one means an HDMI audio function
  std::vector<std::string> usb_types;      // "uhci", "ehci", "ohci", "xhci" of the USB controllers to hide
};

// Module names (as modprobe spells them, '_' for '-'), sorted, without repeats; never pciback itself, pci-stub or
// vfio-pci (they do not compete for the device).
std::vector<std::string> pciback_softdep_modules(const PcibackSoftdepInputs& inputs);

// "softdep amdgpu pre: xen-pciback"
std::string pciback_softdep_line(const std::string& module);

}  // namespace ptdoctor
