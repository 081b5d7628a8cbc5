#pragma once
// The reason an unknown fact carries when a host read failed: "/proc/cmdline: not present".
#include <string>

#include "ptdoctor/result.hpp"

namespace ptdoctor::hostplug {

std::string read_failure(const std::string& path, const Error& error);

}  // namespace ptdoctor::hostplug
