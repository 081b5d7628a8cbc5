#include "cli/app.hpp"

#include <string>

#include "ptdoctor/config.hpp"

namespace ptdoctor::cli {
namespace {

// Shared by every command: the errors any run can end with (sysexits.h numbers).
constexpr const char* kCommonExits =
    "64 usage error, 66 an input file missing or unusable, 70 internal error (a bug),\n"
    "73 the output cannot be created, 74 I/O error.";

struct CommandHelp {
  const char* name;
  const char* examples;  // lines "  ptdoctor NAME ...   what it does"
  const char* exits;     // this command's own exit codes, before kCommonExits
};

// One entry per command: `ptdoctor NAME --help` ends with these, and only these, examples.
constexpr CommandHelp kCommandHelp[] = {
    {"check",
     "  ptdoctor check                           judge this machine\n"
     "  ptdoctor check --gpu 08:00.0 --usb 00:1d.7\n"
     "  ptdoctor check --format markdown -o report.md\n"
     "  ptdoctor check --redact -o report.md     a report to post, without hostname, serials, MACs\n"
     "  ptdoctor check --root /srv/hosts/box1    judge a copied host tree\n"
     "  ptdoctor check --snapshot box1.tar.gz    judge a machine from its snapshot\n"
     "  ptdoctor check --spec parts.yaml         judge a parts list before buying\n"
     "  ptdoctor check --color=always | less -R",
     "0 ready, 1 ready with warnings, 2 not ready, 3 cannot judge;\n"
     "with --spec: 0 capable, 1 with caveats, 2 not capable, 3 unknown part."},
    {"facts",
     "  ptdoctor facts | less                    every collected fact, as JSON\n"
     "  ptdoctor facts | jq .facts.gpu.target    one fact\n"
     "  ptdoctor facts --redact -o facts.json    to attach to a bug report",
     "0 written."},
    {"plugins",
     "  ptdoctor plugins                         the loaded plugins and the facts they provide\n"
     "  ptdoctor plugins --json\n"
     "  ptdoctor plugins --facts-reference       every declared fact, as Markdown",
     "0 listed."},
    {"rules",
     "  ptdoctor rules                           the loaded rules\n"
     "  ptdoctor rules --json                    with every rule's check, as JSON\n"
     "  ptdoctor rules --lint my-rules.yaml      check a rule file against the declared facts",
     "0 listed (--lint: no problem), 1 --lint found problems."},
    {"explain",
     "  ptdoctor explain gpu.pciback-ready       why a rule exists and how to fix it\n"
     "  ptdoctor explain \"Looks like pciback driver is not loaded\"   a pasted libxl message",
     "0 explained, 1 no rule and no known cause."},
    {"plan",
     "  ptdoctor plan                            what fix --apply would change, with diffs\n"
     "  ptdoctor plan --gpu 08:00.0 --name win --disk phy:/dev/vg/win,hda,w\n"
     "  ptdoctor plan --format json -o plan.json  to apply later with fix --plan",
     "0 planned."},
    {"fix",
     "  ptdoctor fix                             the plan, changing nothing (as plan)\n"
     "  sudo ptdoctor fix --apply                apply it after one confirmation\n"
     "  sudo ptdoctor fix --apply --yes --plan plan.json",
     "0 applied (or nothing to do), 1 not confirmed, 2 blockers remain that no step fixes."},
    {"rollback",
     "  sudo ptdoctor rollback --list            each journal and what undoing it restores\n"
     "  sudo ptdoctor rollback                   undo the latest apply that changed something\n"
     "  sudo ptdoctor rollback 20261201T194539Z --yes",
     "0 rolled back (or listed), 1 not confirmed, refused, or a file not restored (its backup is damaged)."},
    {"verify",
     "  ptdoctor verify                          after fix --apply and a reboot: did each step take?\n"
     "  ptdoctor verify --format json            the same, for a script",
     "0 every step took effect, 2 a step did not, 3 a step cannot be checked here."},
    {"snapshot",
     "  sudo ptdoctor snapshot                   host-<name>-<date>.tar.gz of what the checks read\n"
     "  sudo ptdoctor snapshot --redact -o box1.tar.gz\n"
     "  ptdoctor check --snapshot box1.tar.gz    judge it on another machine",
     "0 written."},
};

constexpr const char* kProgramExamples = R"(Examples:
  ptdoctor check                          judge this machine
  ptdoctor check --gpu 08:00.0 --usb 00:1d.7
  ptdoctor explain cpu.hvm                why a rule exists and how to fix it
  ptdoctor plan                           the changes that would fix what fails
  ptdoctor COMMAND --help                 a command's options and examples

Exit status: 0 ready, 1 ready with warnings, 2 not ready, 3 cannot judge (check; see a command's --help),
)";

// -v, -q and --color belong to the program but work after the command too: say so where the command's options are.
constexpr const char* kProgramOptions =
    "Program options, before or after the command: -v (-vv) more diagnostics, -q only errors,\n"
    "--color=auto|always|never (--no-color), -h this help.";

std::string command_footer(const CommandHelp& help) {
  return std::string(kProgramOptions) + "\n\nExamples:\n" + help.examples + "\n\nExit status: " + help.exits +
         "\n" + kCommonExits;
}

}  // namespace

void build_app(CLI::App& app, CommandContext& context) {
  app.description("ptdoctor: checks a machine for Xen secondary-GPU passthrough and explains what is missing");
  app.name("ptdoctor");
  app.require_subcommand(1);
  app.fallthrough();  // -v/-q/--color work before or after the command
  app.set_version_flag("-V,--version", std::string("ptdoctor ") + config::kVersion);
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
  // Set after the commands exist: a command made earlier would inherit the program's footer as its own.
  app.footer(std::string(kProgramExamples) + kCommonExits);
  for (CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
    for (const CommandHelp& help : kCommandHelp) {
      if (command->get_name() == help.name) command->footer(command_footer(help));
    }
  }
}

}  // namespace ptdoctor::cli
