#pragma once
// Runs code or the staged binary as the unprivileged user nobody (65534), so behaviour that depends on not being
// root ("run ptdoctor as root", the live-root guard of fix --apply) is tested in CI too, which runs as root.
// Not root already: everything runs as it is.
#include <functional>
#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace ptdoctor::testing {

inline constexpr unsigned kNobody = 65534;

// `work` in a forked child that dropped its supplementary groups, gid and uid to nobody first; returns what it
// returned. Throws std::runtime_error when the child cannot drop privileges or dies (gtest reports it).
std::string as_unprivileged(const std::function<std::string()>& work);

// The staged ptdoctor run as nobody through setpriv (util-linux). When nobody cannot reach the build tree (a clone
// under /root), a world-readable copy of the staged tree is run instead.
CliResult run_ptdoctor_unprivileged(const std::vector<std::string>& args);

}  // namespace ptdoctor::testing
