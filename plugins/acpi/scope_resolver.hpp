#pragma once
// Turns a DMAR device scope (start bus + a path of device.function hops) into the BDF it names. A one-hop path
// is start_bus:dev.fn; every further hop goes through a bridge whose secondary bus number is read from its config
// space (offset 0x19) through the host view. When a bridge cannot be read, the raw path is kept and the reason
// said, because a guessed BDF would be worse than none.
#include <cstdint>
#include <optional>
#include <string>

#include "dmar_parser.hpp"
#include "ptdoctor/host_view.hpp"

namespace ptdoctor::acpi {

struct ResolvedScope {
  std::optional<std::string> bdf;
  std::string note;  // why bdf is missing, empty otherwise
};

std::string make_bdf(std::uint16_t segment, unsigned bus, unsigned device, unsigned function);
// "/sys/bus/pci/devices/0000:00:03.0/config"
std::string config_path(const std::string& bdf);

ResolvedScope resolve_scope(const HostView& host, std::uint16_t segment, const DeviceScope& scope);

}  // namespace ptdoctor::acpi
