#include "capability_list.hpp"

#include <array>

namespace ptdoctor::pci {
namespace {

// PCI Local Bus spec 6.7 and PCIe base spec 7.6 (pciutils lib/header.h: PCI_STATUS_CAP_LIST, PCI_CAPABILITY_LIST).
constexpr std::size_t kStatus = 0x06, kCapabilityPointer = 0x34, kExtendedStart = 0x100;
constexpr std::uint16_t kStatusCapList = 0x10;
constexpr unsigned kCapPm = 0x01, kCapMsi = 0x05, kCapPcie = 0x10, kCapMsix = 0x11, kCapAf = 0x13;
constexpr unsigned kExtCapAcs = 0x0d;

// Of two capabilities with one id, the first found: pci_find_cap's answer with libpci 3.9 (held to it by
// tests/plugins/pci/capability_list_test.cpp).
void note(unsigned& position, unsigned where) {
  if (position == 0) position = where;
}

void note(CapPositions& caps, unsigned id, unsigned where) {
  switch (id) {
    case kCapPm: note(caps.pm, where); break;
    case kCapMsi: note(caps.msi, where); break;
    case kCapPcie: note(caps.pcie, where); break;
    case kCapMsix: note(caps.msix, where); break;
    case kCapAf: note(caps.af, where); break;
    default: break;
  }
}

}  // namespace

CapPositions find_capabilities(ConfigReader& config) {
  CapPositions caps;
  auto byte = [&](std::size_t offset) -> unsigned { return config.u8(offset).value_or(0xff); };
  const unsigned status = config.u16(kStatus).value_or(0xffff);
  if (status & kStatusCapList) {
    std::array<bool, 256> been_there{};
    unsigned where = byte(kCapabilityPointer) & ~3u;
    while (where) {
      const unsigned id = byte(where), next = byte(where + 1) & ~3u;
      if (been_there[where]) break;
      been_there[where] = true;
      if (id == 0xff) break;
      note(caps, id, where);
      where = next;
    }
  }
  // libpci walks the extended list only behind a PCI Express capability.
  if (!caps.pcie) return caps;
  std::array<bool, 0x1000> been_there{};
  unsigned where = kExtendedStart;
  do {
    const std::uint32_t header = config.u32(where).value_or(0xffffffff);
    if (header == 0 || header == 0xffffffff) break;
    if (been_there[where]) break;
    been_there[where] = true;
    if ((header & 0xffff) == kExtCapAcs) note(caps.acs, where);
    where = (header >> 20) & ~3u;
  } while (where);
  return caps;
}

}  // namespace ptdoctor::pci
