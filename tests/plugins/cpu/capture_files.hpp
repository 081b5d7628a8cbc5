#pragma once
// Test inputs: the checked-in `cpuid -r` captures of tests/plugins/cpu/captures (see README.md there), and
// MSR device contents.
#include <cstdint>
#include <string>

namespace ptdoctor::cpu::testing {

// Contents of captures/<name>; fails the calling test when it cannot be read.
std::string capture_file(const std::string& name);
// Contents of a /dev/cpu/0/msr stand-in: zeros, then the 8-byte little-endian value at the register's offset.
std::string msr_device_bytes(std::uint32_t msr, std::uint64_t value);

}  // namespace ptdoctor::cpu::testing
