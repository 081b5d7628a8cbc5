#pragma once
// Runs a program directly (argv, no shell) with a time limit and a cap on its output.
#include <chrono>
#include <string>
#include <vector>

#include "ptdoctor/result.hpp"

namespace ptdoctor::host {

struct CommandLimits {
  std::chrono::milliseconds timeout{10000};
  std::size_t max_output = 16u << 20;
};

// argv[0] without a slash is looked up in the fixed system directories only (/usr/sbin, /usr/bin, /sbin, /bin):
// ptdoctor runs as root and must not run whatever an inherited PATH points at.
// Ok: stdout of a zero exit. Errors: kNotFound (no such program), kTimeout (killed), kIo (non-zero exit; the
// message carries the exit status and the end of stderr).
Result<std::string> run_command(const std::vector<std::string>& argv, const CommandLimits& limits = {});

}  // namespace ptdoctor::host
