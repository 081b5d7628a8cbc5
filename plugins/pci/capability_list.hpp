#pragma once
// Where the capabilities the facts read lie in a function's config space.
#include "config_reader.hpp"
#include "config_space.hpp"

namespace ptdoctor::pci {

// Walks the capability list and, for a PCI Express function, the extended one exactly as libpci does (pciutils
// lib/caps.c pci_scan_trad_caps and pci_scan_ext_caps; a byte it cannot read is 0xff, lib/access.c pci_read_data)
// and answers as pci_find_cap does: of two capabilities with one id, the first found. The difference is the cost:
// libpci reads a capability's id and next pointer as two one-byte accesses, this reads the dword they share once,
// and that dword also holds the registers at +2 and +3 which the facts read (MSI and MSI-X Message Control, PCIe
// Capabilities, AF Capabilities).
CapPositions find_capabilities(ConfigReader& config);

}  // namespace ptdoctor::pci
