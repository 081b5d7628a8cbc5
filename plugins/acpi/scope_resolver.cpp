#include "scope_resolver.hpp"

#include <cstdio>

namespace ptdoctor::acpi {
namespace {
// PCI-to-PCI bridge config header (type 1): the bus directly behind the bridge.
constexpr std::uint64_t kSecondaryBusOffset = 0x19;
}  // namespace

std::string make_bdf(std::uint16_t segment, unsigned bus, unsigned device, unsigned function) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04x:%02x:%02x.%x", segment, bus & 0xff, device & 0x1f, function & 0x7);
  return buffer;
}

std::string config_path(const std::string& bdf) { return "/sys/bus/pci/devices/" + bdf + "/config"; }

ResolvedScope resolve_scope(const HostView& host, std::uint16_t segment, const DeviceScope& scope) {
  if (scope.path.empty()) return {std::nullopt, "the scope has no path entry"};
  unsigned bus = scope.start_bus;
  for (std::size_t i = 0; i + 1 < scope.path.size(); ++i) {
    const PciHop& hop = scope.path[i];
    if (hop.device > 0x1f || hop.function > 7) {
      return {std::nullopt, "path entry " + std::to_string(i) + " is not a valid device.function"};
    }
    const std::string bridge = make_bdf(segment, bus, hop.device, hop.function);
    auto secondary = host.read_at(config_path(bridge), kSecondaryBusOffset, 1);
    if (!secondary.ok() || secondary->size() != 1) {
      const std::string why = secondary.ok() ? "config space too short" : secondary.error().message;
      return {std::nullopt, "cannot read the secondary bus of bridge " + bridge + " (" + why +
                                "): kept the raw path; run as root on the host itself to resolve it"};
    }
    bus = static_cast<unsigned char>((*secondary)[0]);
  }
  const PciHop& last = scope.path.back();
  if (last.device > 0x1f || last.function > 7) {
    return {std::nullopt, "the last path entry is not a valid device.function"};
  }
  return {make_bdf(segment, bus, last.device, last.function), ""};
}

}  // namespace ptdoctor::acpi
