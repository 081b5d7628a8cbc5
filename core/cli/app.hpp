#pragma once
// The whole command line, defined once: the program's options, every command with its options, and each command's
// own examples and exit status in its --help. main.cpp parses with it; the man page test walks it
// (tests/cli/man_page_test.cpp), so an option the man page lacks, or names without it existing, fails the build.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

namespace ptdoctor::cli {

void build_app(CLI::App& app, CommandContext& context);

}  // namespace ptdoctor::cli
