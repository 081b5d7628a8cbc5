#pragma once
// Runs the staged ptdoctor binary for end-to-end tests and captures exit code, stdout and stderr separately.
#include <string>
#include <vector>

namespace ptdoctor::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// args exclude the program name. extra_env entries are "NAME=value". prefix runs the binary under another
// program (e.g. {"setpriv", "--reuid=65534", ...}). binary: another ptdoctor than the staged one (a copy of it).
CliResult run_ptdoctor(const std::vector<std::string>& args, const std::vector<std::string>& extra_env = {},
                       const std::vector<std::string>& prefix = {}, const std::string& binary = {});

}  // namespace ptdoctor::testing
