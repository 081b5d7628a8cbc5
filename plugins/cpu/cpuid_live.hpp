#pragma once
// CPUID of the CPU we run on, for the live host without a capture. Only the leaves the decoder uses are read,
// and only those the CPU advertises (leaf 0 and 0x80000000 give the maxima).
#include "cpuid_dump.hpp"
#include "ptdoctor/result.hpp"

namespace ptdoctor::cpu {

// kUnsupported on non-x86 builds.
Result<CpuidDump> read_live_cpuid();

}  // namespace ptdoctor::cpu
