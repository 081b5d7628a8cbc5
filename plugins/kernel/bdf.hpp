#pragma once
// PCI addresses as ptdoctor writes them everywhere: "DDDD:BB:DD.F", lowercase hex.
#include <optional>
#include <string>
#include <string_view>

namespace ptdoctor::hostplug {

// Accepts "DDDD:BB:DD.F" or "BB:DD.F" (domain 0), any case; nullopt for anything else.
std::optional<std::string> normalize_bdf(std::string_view text);
// "DDDD:BB:DD.*" or "BB:DD.*" -> "dddd:bb:dd" (the slot a wildcard entry names); nullopt otherwise.
std::optional<std::string> normalize_slot_wildcard(std::string_view text);
// "DDDD:BB:*.*" or "BB:*.*" -> "dddd:bb" (the bus a wildcard entry names); nullopt otherwise.
std::optional<std::string> normalize_bus_wildcard(std::string_view text);

}  // namespace ptdoctor::hostplug
