#pragma once
// Usage errors the way Debian tools and git print them: "ptdoctor: unknown command 'chek'; did you mean 'check'?"
// and the same for options, one line plus where to read more, exit 64.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace ptdoctor::cli {

// The command word the user gave (the first argument that is not an option), or "" when there is none.
std::string given_command(const std::vector<std::string>& args);

// "unknown command 'chek'; did you mean 'check'?" when the command word is not a command of `app`; "" otherwise.
std::string unknown_command_message(const CLI::App& app, const std::vector<std::string>& args);

// "a command is required: check, facts, …" for a command line without one.
std::string missing_command_message(const CLI::App& app);

// After CLI11 refused the command line: "unknown option '--formt' for 'check'; did you mean '--format'?" for the
// first option that neither the command nor the program knows; "" when every option is known.
std::string unknown_option_message(const CLI::App& app, const std::vector<std::string>& args);

}  // namespace ptdoctor::cli
