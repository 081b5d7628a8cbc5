#pragma once
// What the user asked for on the command line, and its validation. Everything here ends up in files that other
// programs parse (xl, sh, modprobe): text that could change their meaning is rejected, not escaped.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ptdoctor/result.hpp"

namespace ptdoctor::fix {

struct Choices {
  std::string gpu;                // --gpu, as given ("08:00.0"); empty: the gpu plugin's target
  std::vector<std::string> usb;   // --usb, as given
  std::string name;               // --name of the domU; empty: no domU config
  std::optional<long> memory_mb;  // --memory
  std::optional<long> vcpus;      // --vcpus
  std::vector<std::string> disks; // --disk, xl disk specs
  std::string bridge;             // --bridge; empty: xenbr0
  std::string cdrom;              // --cdrom installer image
  std::optional<std::uint64_t> seed;  // tests: fixed UUID and MAC
};

// "08:00.0" or "0000:08:00.0" (any case) -> "0000:08:00.0"; error naming the option otherwise.
Result<std::string> normalize_bdf(const std::string& text, const std::string& option);

// Checks --name, --disk, --bridge, --cdrom, --memory, --vcpus; the error names the option, the value and the
// offending character.
Status validate_choices(const Choices& choices);

}  // namespace ptdoctor::fix
