#include "config_space.hpp"

#include "hex_text.hpp"

namespace ptdoctor::pci {
namespace {

constexpr std::uint32_t kDevCapFlr = 1u << 28;  // PCIe base spec, Device Capabilities register
constexpr std::uint8_t kAfCapFlr = 1u << 1;     // Advanced Features capability, AF Capabilities register
// ACS capability/control bits: Source Validation, Translation Blocking, P2P Request Redirect,
// P2P Completion Redirect, Upstream Forwarding (PCIe base spec 7.7.8).
constexpr std::uint16_t kAcsSv = 1u << 0, kAcsRr = 1u << 2, kAcsCr = 1u << 3, kAcsUf = 1u << 4;
constexpr std::size_t kStandardConfigSize = 256;
constexpr std::uint16_t kPmCtrlNoSoftReset = 1u << 3;  // PCI PM spec 1.2, PMCSR; Linux PCI_PM_CTRL_NO_SOFT_RESET

std::string hex16(std::uint16_t value) { return hex_id(value, 4); }

}  // namespace

std::optional<std::uint8_t> ConfigBytes::u8(std::size_t offset) const {
  if (offset >= size_) return std::nullopt;
  if (offset < dense_) return static_cast<std::uint8_t>(bytes_[offset]);
  std::size_t position = dense_;  // where the next range's bytes begin in bytes_
  for (const ConfigRange& range : extended_) {
    if (offset >= range.offset && offset - range.offset < range.length) {
      return static_cast<std::uint8_t>(bytes_[position + (offset - range.offset)]);
    }
    position += range.length;
  }
  return std::nullopt;
}

Json flr_fact(const ConfigBytes& config, const CapPositions& caps) {
  if (config.size() < kStandardConfigSize) return nullptr;
  bool flr = false;
  if (caps.pcie) {
    auto devcap = config.u32(caps.pcie + 4);
    if (!devcap) return nullptr;
    flr = flr || (*devcap & kDevCapFlr);
  }
  if (caps.af) {
    auto af_cap = config.u8(caps.af + 3);
    if (!af_cap) return nullptr;
    flr = flr || (*af_cap & kAfCapFlr);
  }
  return flr;
}

std::string flr_source(const CapPositions& caps) {
  std::string source = "config space";
  if (caps.pcie) source += ", PCIe DevCap bit 28 at " + hex16(static_cast<std::uint16_t>(caps.pcie + 4));
  if (caps.af) source += ", AF capability at " + hex16(static_cast<std::uint16_t>(caps.af));
  return source;
}

Json pm_no_soft_reset_fact(const ConfigBytes& config, const CapPositions& caps) {
  if (!caps.pm) return nullptr;
  auto pmcsr = config.u16(caps.pm + 4);
  if (!pmcsr) return nullptr;
  return (*pmcsr & kPmCtrlNoSoftReset) != 0;
}

Json acs_fact(const ConfigBytes& config, const CapPositions& caps) {
  if (config.size() <= kStandardConfigSize) return nullptr;
  if (!caps.acs) return Json{{"present", false}};
  auto capability = config.u16(caps.acs + 4);
  auto control = config.u16(caps.acs + 6);
  if (!capability || !control) return nullptr;
  auto both = [&](std::uint16_t bit) { return (*capability & bit) && (*control & bit); };
  // Isolation needs every redirect/validation feature the port implements to be switched on.
  const std::uint16_t wanted = kAcsSv | kAcsRr | kAcsCr | kAcsUf;
  const bool enabled = (*capability & wanted) != 0 && (*control & (*capability & wanted)) == (*capability & wanted);
  return Json{{"present", true},
              {"capability", hex16(*capability)},
              {"control", hex16(*control)},
              {"source_validation", both(kAcsSv)},
              {"request_redirect", both(kAcsRr)},
              {"completion_redirect", both(kAcsCr)},
              {"upstream_forwarding", both(kAcsUf)},
              {"enabled", enabled}};
}

}  // namespace ptdoctor::pci
