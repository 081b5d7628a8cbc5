#pragma once
// Which functions share an interrupt line or a 4 KiB page of MMIO with which others. Xen's SUPPORT.md
// ("x86/PCI Device Passthrough") calls passing a device that shares such a resource with another device not
// security supported. These are descriptions (pci.devices[].shares_irq_with / shares_page_with); the rules judge
// them against what is passed.
#include <vector>

#include "device_record.hpp"

namespace ptdoctor::pci {

// Fills facts["shares_irq_with"] and facts["shares_page_with"] of every record (lists of BDFs, or null with a
// reason in `unknown` when this record's or another's IRQ, pin or BARs could not be read).
void add_shared_resources(std::vector<DeviceRecord>& records);

}  // namespace ptdoctor::pci
