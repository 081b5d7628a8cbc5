// The man page cannot drift from the command line: every option of every command (walked on the CLI11 app the
// binary parses) is in docs/ptdoctor.1, every --option the page names exists, every command has its entry; and each
// command's --help has its own examples and exit status.
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "cli/app.hpp"
#include "cli_runner.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::cli {
namespace {

std::string man_page() {
  std::ifstream in(testing::source_path("docs/ptdoctor.1"));
  std::stringstream text;
  text << in.rdbuf();
  std::string page = text.str();
  // roff writes a dash as \-: read it as the user sees it.
  for (std::size_t at = page.find("\\-"); at != std::string::npos; at = page.find("\\-", at)) page.erase(at, 1);
  return page;
}

struct Cli {
  CLI::App app;
  CommandContext context;
  Cli() { build_app(app, context); }
  std::vector<CLI::App*> commands() { return app.get_subcommands([](const CLI::App*) { return true; }); }
};

// "--root", "-o", ... of one command or of the program.
std::set<std::string> option_names(const CLI::App& app) {
  std::set<std::string> names;
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames()) names.insert("--" + name);
    for (const std::string& name : option->get_snames()) names.insert("-" + name);
  }
  return names;
}

TEST(ManPage, NamesEveryOptionOfEveryCommand) {
  Cli cli;
  const std::string page = man_page();
  ASSERT_FALSE(page.empty());
  std::vector<const CLI::App*> apps = {&cli.app};
  for (const CLI::App* command : cli.commands()) apps.push_back(command);
  for (const CLI::App* app : apps) {
    for (const std::string& name : option_names(*app)) {
      // As an option, not inside a longer word: "-o" is not the "-o" of "--format".
      std::regex written("(^|[^A-Za-z0-9-])" + name + "([^A-Za-z0-9-]|$)");
      EXPECT_TRUE(std::regex_search(page, written))
          << "docs/ptdoctor.1 does not document " << name << " of '" << app->get_name() << "'";
    }
  }
}

TEST(ManPage, NamesNoOptionThatDoesNotExist) {
  Cli cli;
  std::set<std::string> known = option_names(cli.app);
  for (const CLI::App* command : cli.commands()) {
    std::set<std::string> own = option_names(*command);
    known.insert(own.begin(), own.end());
  }
  // --color=never is --color; other programs' options the page quotes are not ptdoctor's.
  const std::set<std::string> other_programs = {};
  const std::string page = man_page();
  std::regex long_option("--[a-z][a-z0-9-]*");
  for (auto it = std::sregex_iterator(page.begin(), page.end(), long_option); it != std::sregex_iterator(); ++it) {
    const std::string name = it->str();
    EXPECT_TRUE(known.count(name) || other_programs.count(name))
        << "docs/ptdoctor.1 names " << name << ", which no command has";
  }
}

TEST(ManPage, HasAnEntryForEveryCommand) {
  Cli cli;
  const std::string page = man_page();
  for (const CLI::App* command : cli.commands()) {
    std::regex entry("\\n\\.(B|BR|BI) " + command->get_name() + "[ \\n]");
    EXPECT_TRUE(std::regex_search(page, entry)) << "no COMMANDS entry for " << command->get_name();
  }
}

TEST(ManPage, DocumentsEveryExitStatus) {
  const std::string page = man_page();
  for (const char* code : {"0", "1", "2", "3", "64", "66", "70", "73", "74"}) {
    EXPECT_NE(page.find("\n.B " + std::string(code) + "\n"), std::string::npos) << "exit status " << code;
  }
}

// `ptdoctor COMMAND --help` shows that command's examples, not the program's, and its exit status.
TEST(CommandHelp, EachCommandHasItsOwnExamplesAndExitStatus) {
  Cli cli;
  const std::string program_help = cli.app.help();
  for (CLI::App* command : cli.commands()) {
    const std::string name = command->get_name();
    const std::string help = command->help();
    EXPECT_NE(help.find("Examples:\n"), std::string::npos) << name;
    std::regex own_example("\\n  (sudo )?ptdoctor " + name + "\\b");
    EXPECT_TRUE(std::regex_search(help, own_example)) << name << " --help has no example of " << name << ":\n" << help;
    EXPECT_EQ(help.find("ptdoctor COMMAND --help"), std::string::npos) << name << " repeats the program's examples";
    for (const char* code : {"64", "66", "70", "73", "74"}) {
      EXPECT_NE(help.find(code), std::string::npos) << name << " --help does not give exit status " << code;
    }
  }
  EXPECT_NE(program_help.find("ptdoctor COMMAND --help"), std::string::npos);
}

// The staged binary shows the same: `ptdoctor help COMMAND` is `ptdoctor COMMAND --help`.
TEST(CommandHelp, HelpCommandShowsTheCommandsHelp) {
  testing::CliResult help = testing::run_ptdoctor({"help", "rollback"});
  EXPECT_EQ(help.exit_code, 0) << help.err;
  EXPECT_NE(help.out.find("ptdoctor rollback --list"), std::string::npos) << help.out;
  EXPECT_EQ(help.out.find("ptdoctor check --spec"), std::string::npos) << "rollback --help shows check's examples";
  EXPECT_EQ(testing::run_ptdoctor({"rollback", "--help"}).out, help.out);
  testing::CliResult program = testing::run_ptdoctor({"help"});
  EXPECT_EQ(program.exit_code, 0);
  EXPECT_NE(program.out.find("ptdoctor COMMAND --help"), std::string::npos);
}

}  // namespace
}  // namespace ptdoctor::cli
