// ptdoctor: is this machine ready for Xen secondary-GPU passthrough, and if not, why and what to do.
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/command_line_typos.hpp"
#include "cli/commands.hpp"
#include "ptdoctor/config.hpp"

namespace {

// Diagnostics go to stderr only, so JSON on stdout stays clean.
void setup_logging(int verbosity, bool quiet, ptdoctor::cli::ColorWhen color) {
  // NO_COLOR, TERM=dumb and --color count for stderr as for the report (spdlog alone would colour any terminal).
  auto logger = spdlog::stderr_color_mt("ptdoctor", ptdoctor::cli::color_on(color, STDERR_FILENO)
                                                        ? spdlog::color_mode::always
                                                        : spdlog::color_mode::never);
  logger->set_pattern("ptdoctor: %^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::level::level_enum level = spdlog::level::warn;
  if (quiet) level = spdlog::level::err;
  if (verbosity == 1) level = spdlog::level::info;
  if (verbosity >= 2) level = spdlog::level::debug;
  spdlog::set_level(level);
}

constexpr const char* kExamples = R"(Examples:
  ptdoctor check                          judge this machine
  ptdoctor check --gpu 08:00.0 --usb 00:1d.7
  ptdoctor check --format markdown -o report.md
  ptdoctor check --root /srv/hosts/box1   judge a copied host tree
  ptdoctor facts | less                   every collected fact, as JSON
  ptdoctor explain cpu.hvm                why a rule exists and how to fix it
  ptdoctor snapshot -o box1.tar.gz        archive what the checks read, to judge elsewhere
  ptdoctor check --snapshot box1.tar.gz   judge a machine from its snapshot
  ptdoctor check --spec parts.yaml        judge a parts list before buying

Exit status: 0 ready, 1 ready with warnings, 2 not ready, 3 cannot judge,
64 usage error, 66 an input file missing or unusable, 70 internal error (a bug),
73 the output cannot be created, 74 I/O error.)";

// One line saying what is wrong, then where the usage is (`Try 'ptdoctor check --help'.`), as coreutils do.
int usage_error(const std::string& message, const std::string& command) {
  std::fprintf(stderr, "ptdoctor: %s\nTry 'ptdoctor%s --help'.\n", message.c_str(),
               command.empty() ? "" : (" " + command).c_str());
  return ptdoctor::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ptdoctor;
  using namespace ptdoctor::cli;
  CLI::App app{"ptdoctor: checks a machine for Xen secondary-GPU passthrough and explains what is missing"};
  app.footer(kExamples);
  app.require_subcommand(1);
  app.fallthrough();  // -v/-q work before or after the command
  app.set_version_flag("-V,--version", std::string("ptdoctor ") + config::kVersion);
  CommandContext context;
  app.add_flag("-v,--verbose", context.options.verbosity, "More diagnostics on stderr (-vv for debug)");
  app.add_flag("-q,--quiet", context.options.quiet, "Only errors on stderr");
  app.add_option("--color", context.color,
                 "Colour the report and messages: auto (on a terminal, unless NO_COLOR or TERM=dumb), always, never")
      ->type_name("WHEN")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("--no-color", context.no_color, "The same as --color=never");
  register_check(app, context);
  register_facts(app, context);
  register_plugins(app, context);
  register_rules(app, context);
  register_explain(app, context);
  register_plan(app, context);
  register_fix(app, context);
  register_rollback(app, context);
  register_verify(app, context);
  register_snapshot(app, context);

  const std::vector<std::string> args(argv + 1, argv + argc);
  if (std::string unknown = unknown_command_message(app, args); !unknown.empty()) {
    return usage_error(unknown, "");
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::string message = unknown_option_message(app, args);
    if (message.empty() && given_command(args).empty()) message = missing_command_message(app);
    return usage_error(message.empty() ? e.what() : message, given_command(args));
  }
  setup_logging(context.options.verbosity, context.options.quiet, context.color_when());
  try {
    return context.action ? context.action() : kExitUsage;
  } catch (const UsageError& e) {
    spdlog::error("{}", e.what());
    return kExitUsage;
  } catch (const InputError& e) {
    spdlog::error("{}", e.what());
    return e.exit_code;
  } catch (const CantCreateError& e) {
    spdlog::error("{}", e.what());
    return kExitCantCreate;
  } catch (const std::exception& e) {
    spdlog::critical("internal error: {}", e.what());
    return kExitInternal;
  }
}
