#pragma once
// Raw CPUID of the CPU we run on, in the `cpuid -r` format (Debian package cpuid) that offline hosts are read
// from: "CPU 0:" then lines "   0x00000001 0x00: eax=0x... ebx=0x... ecx=0x... edx=0x...". Used by
// `ptdoctor snapshot` when the root has no cpuid.txt capture of its own.
#include <string>

namespace ptdoctor::snapshot {

std::string raw_cpuid_dump();

}  // namespace ptdoctor::snapshot
