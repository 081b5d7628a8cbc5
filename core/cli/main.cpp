// ptdoctor: is this machine ready for Xen secondary-GPU passthrough, and if not, why and what to do.
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/command_line_typos.hpp"
#include "cli/app.hpp"
#include "cli/commands.hpp"

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

// One line saying what is wrong, then where the usage is (`Try 'ptdoctor check --help'.`), as coreutils do.
int usage_error(const std::string& message, const std::string& command) {
  std::fprintf(stderr, "ptdoctor: %s\nTry 'ptdoctor%s --help'.\n", message.c_str(),
               command.empty() ? "" : (" " + command).c_str());
  return ptdoctor::kExitUsage;
}

// glibc's malloc gives each block of 128 KiB or more its own mmap and returns it with munmap, so the next such block
// (a file read whole, a decompressed kernel configuration, the rule cache) faults in fresh pages again, and it
// trims the heap top as soon as 128 KiB are free. Blocks up to 512 KiB now come from the heap, whose top is kept up
// to 4 MiB: live `check` on the benchmark VM of docs/performance.md 1,298 -> 1,220 page faults (perf stat -r 20),
// 14.8 -> 13.9 ms median (31 interleaved rounds), `facts` on 4,096 functions 27.2 MiB peak either way. Larger
// thresholds (16 MiB / 64 MiB) saved a few more faults but held freed big blocks (vectors of records) beside the
// live ones on a big host: +0.2 MiB at 4k, +0.6 MiB at 1k.
// One arena for all threads: the rules and plugin helper threads (a few milliseconds each) would otherwise each get
// an arena of their own, grown an mprotect at a time and its freed memory never reused by the main thread: live
// `check` 15.2 / 15.1 -> 14.7 / 14.8 ms (31 interleaved rounds, twice), `facts` at 4k 27.2 -> 26.9 MiB peak.
void tune_malloc() {
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD) && defined(M_ARENA_MAX)
  mallopt(M_MMAP_THRESHOLD, 512 << 10);
  mallopt(M_TRIM_THRESHOLD, 4 << 20);
  mallopt(M_ARENA_MAX, 1);
#endif
}

// Once a command has run: its output flushed, the process ends without unwinding. What is left to destroy then is
// the command line, the plugins (left loaded) and the libraries' statics, memory the kernel takes back in one go:
// live check 10.60 -> 10.41 ms median (80 interleaved runs). Every file a command writes is written, synced and
// closed inside the command; nothing waits for exit. (A build instrumented for coverage, which writes its counts
// at exit, would lose them: none is made.)
int finish(int code) {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  _exit(code);
}

}  // namespace

int main(int argc, char** argv) {
  tune_malloc();
  using namespace ptdoctor;
  using namespace ptdoctor::cli;
  CLI::App app;
  CommandContext context;
  build_app(app, context);

  std::vector<std::string> args(argv + 1, argv + argc);
  // `ptdoctor help [COMMAND]`, as git and cargo take it: the same as `ptdoctor [COMMAND] --help`.
  if (given_command(args) == "help") {
    args.erase(std::find(args.begin(), args.end(), "help"));
    args.push_back("--help");
  }
  if (std::string unknown = unknown_command_message(app, args); !unknown.empty()) {
    return usage_error(unknown, "");
  }
  try {
    // CLI11 takes the arguments last first.
    app.parse(std::vector<std::string>(args.rbegin(), args.rend()));
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::string message = unknown_option_message(app, args);
    if (message.empty() && given_command(args).empty()) message = missing_command_message(app);
    return usage_error(message.empty() ? e.what() : message, given_command(args));
  }
  setup_logging(context.options.verbosity, context.options.quiet, context.color_when());
  try {
    return finish(context.action ? context.action() : kExitUsage);
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
