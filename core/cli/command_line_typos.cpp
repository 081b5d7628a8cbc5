#include "cli/command_line_typos.hpp"

#include <algorithm>

#include "closest_name.hpp"

namespace ptdoctor::cli {
namespace {

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(command->get_name());
  }
  return names;
}

// "--format", "-o", ... of one command (and of the program, whose -v/-q work after the command too).
std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
    for (const std::string& name : option->get_snames()) names.push_back("-" + name);
  }
  return names;
}

std::string suggestion(const std::string& typed, const std::vector<std::string>& known) {
  auto near = closest_name(typed, known);
  return near ? "; did you mean '" + *near + "'?" : "";
}

}  // namespace

std::string given_command(const std::vector<std::string>& args) {
  // Of the program's own options only --color takes a value (-v, -q, -V, -h, --no-color take none), so the first
  // other word is the command.
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") return "";
    if (arg == "--color") {
      ++i;
      continue;
    }
    if (!arg.empty() && arg[0] != '-') return arg;
  }
  return "";
}

std::string unknown_command_message(const CLI::App& app, const std::vector<std::string>& args) {
  const std::string word = given_command(args);
  if (word.empty()) return "";
  const std::vector<std::string> names = command_names(app);
  if (std::find(names.begin(), names.end(), word) != names.end()) return "";
  std::string message = "unknown command '" + word + "'" + suggestion(word, names);
  return message;
}

std::string missing_command_message(const CLI::App& app) {
  std::string list;
  for (const std::string& name : command_names(app)) list += (list.empty() ? "" : ", ") + name;
  return "a command is required: " + list;
}

std::string unknown_option_message(const CLI::App& app, const std::vector<std::string>& args) {
  const std::string word = given_command(args);
  const CLI::App* command = nullptr;
  for (const CLI::App* candidate : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (candidate->get_name() == word) command = candidate;
  }
  std::vector<std::string> known = option_names(app);
  if (command != nullptr) {
    std::vector<std::string> own = option_names(*command);
    known.insert(known.begin(), own.begin(), own.end());  // the command's own options win a tie
  }
  for (const std::string& arg : args) {
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;
    // "--format=json" names "--format"; "-ojson" names "-o".
    std::string name = arg.rfind("--", 0) == 0 ? arg.substr(0, arg.find('=')) : arg.substr(0, 2);
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string where = command != nullptr ? " for '" + command->get_name() + "'" : "";
    return "unknown option '" + name + "'" + where + suggestion(name, known);
  }
  return "";
}

}  // namespace ptdoctor::cli
