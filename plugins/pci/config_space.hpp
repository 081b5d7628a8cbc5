#pragma once
// What the config space says about reset and isolation, read from the bytes libpci returned through a
// bounds-checked view: offsets come from the capability lists (capability_list.hpp, walked as libpci walks them),
// lengths from what was readable.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ptdoctor/json.hpp"

namespace ptdoctor::pci {

// Config bytes [offset, offset + length).
struct ConfigRange {
  std::size_t offset;
  std::size_t length;
};

// A little-endian register from a byte source's u8(offset) (ConfigBytes, ConfigReader): nothing when any of its
// bytes is nothing.
template <class Bytes>
std::optional<std::uint16_t> le16(Bytes& bytes, std::size_t offset) {
  auto low = bytes.u8(offset), high = bytes.u8(offset + 1);
  if (!low || !high) return std::nullopt;
  return static_cast<std::uint16_t>(*low | (*high << 8));
}

template <class Bytes>
std::optional<std::uint32_t> le32(Bytes& bytes, std::size_t offset) {
  auto low = le16(bytes, offset), high = le16(bytes, offset + 2);
  if (!low || !high) return std::nullopt;
  return static_cast<std::uint32_t>(*low) | (static_cast<std::uint32_t>(*high) << 16);
}

// The config space of one function as far as it was readable. Past `dense` only the `extended` ranges may have
// been read (ConfigReader: every access to a live function costs); the other bytes there read as unknown,
// so a fact that needs more registers must ask for them (device_record.cpp wanted_registers).
class ConfigBytes {
 public:
  explicit ConfigBytes(std::string bytes) : bytes_(std::move(bytes)), size_(bytes_.size()), dense_(size_) {}
  // `size` bytes were readable, of which only [0, dense) and the `extended` ranges were read: `bytes` holds
  // [0, dense) followed by each range's bytes in turn. Kept this compact rather than as a 4 KiB string per function
  // with holes: an allocation that large makes glibc consolidate its free lists first (malloc_consolidate, a few
  // M instructions of `facts` on a 1,024-function host).
  ConfigBytes(std::size_t size, std::string bytes, std::size_t dense, std::vector<ConfigRange> extended)
      : bytes_(std::move(bytes)), size_(size), dense_(dense), extended_(std::move(extended)) {}
  // How many bytes were readable: the length of config space as the facts report it.
  std::size_t size() const { return size_; }
  std::optional<std::uint8_t> u8(std::size_t offset) const;
  std::optional<std::uint16_t> u16(std::size_t offset) const { return le16(*this, offset); }
  std::optional<std::uint32_t> u32(std::size_t offset) const { return le32(*this, offset); }

 private:
  std::string bytes_;
  std::size_t size_;
  std::size_t dense_;
  std::vector<ConfigRange> extended_;
};

// Capability positions, as libpci's pci_find_cap would give them (find_capabilities; 0 = absent).
struct CapPositions {
  unsigned pcie = 0;  // PCI_CAP_ID_EXP 0x10
  unsigned af = 0;    // PCI_CAP_ID_AF 0x13
  unsigned acs = 0;   // extended PCI_EXT_CAP_ID_ACS 0x0d
  unsigned pm = 0;    // PCI_CAP_ID_PM 0x01
  unsigned msi = 0;   // PCI_CAP_ID_MSI 0x05
  unsigned msix = 0;  // PCI_CAP_ID_MSIX 0x11
};

// FLR: PCIe Device Capabilities bit 28, or Advanced Features capability FLR bit (AF_CAP bit 1).
// Null when the readable config space is too short to tell (sysfs gives 64 bytes to non-root users).
Json flr_fact(const ConfigBytes& config, const CapPositions& caps);
// {"flr_pcie": bool, "flr_af": bool} details for provenance; nothing when unknown.
std::string flr_source(const CapPositions& caps);

// PM capability PMCSR bit 3, No_Soft_Reset: true when the function keeps its state across D3hot -> D0, so Linux has
// no PM reset for it (drivers/pci/pci.c pci_pm_reset returns -ENOTTY on PCI_PM_CTRL_NO_SOFT_RESET). False without
// a PM capability is not claimed: null then, and null when the bytes are unreadable.
Json pm_no_soft_reset_fact(const ConfigBytes& config, const CapPositions& caps);

// ACS: {present, capability, control, source_validation, request_redirect, completion_redirect,
// upstream_forwarding, enabled}. Null when the extended config space (past 0x100) was not readable.
Json acs_fact(const ConfigBytes& config, const CapPositions& caps);

}  // namespace ptdoctor::pci
