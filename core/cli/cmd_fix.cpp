#include <optional>

#include <spdlog/spdlog.h>

#include "cli/fix_options.hpp"
#include "fix/actions.hpp"
#include "fix/applier.hpp"
#include "fix/consent.hpp"
#include "fix/plan.hpp"
#include "input_file.hpp"

namespace ptdoctor::cli {
namespace {

fix::Plan load_plan_file(const std::string& path, const std::string& root) {
  auto text = read_input_file(path, kSavedPlanInput);
  if (!text) throw InputError(text.error());
  Json document = Json::parse(*text, nullptr, false);
  if (document.is_discarded()) throw UsageError("--plan " + path + ": not JSON; save one with `ptdoctor plan --format json -o FILE`");
  auto plan = fix::plan_from_json(document, path);
  if (!plan) throw UsageError(plan.error().message);
  if (plan->root != root) {
    throw UsageError("--plan " + path + " was made for root " + plan->root + ", not " + root);
  }
  return std::move(*plan);
}

// Refuses when failing blockers remain that no planned step addresses: the steps alone would not make the host work.
// Returns the exit status to stop with, or nullopt to go on.
std::optional<int> refuse_unaddressed(const fix::Plan& plan, const std::vector<RuleResult>& results, bool force) {
  std::vector<std::string> open = fix::unaddressed_blockers(plan, results);
  if (open.empty()) return std::nullopt;
  std::string list;
  for (const std::string& line : open) list += "\n  - " + line;
  if (force) {
    spdlog::warn("--force: applying although {} blocker(s) remain that no planned step fixes:{}", open.size(), list);
    return std::nullopt;
  }
  spdlog::error("not applying: {} blocker(s) remain that no planned step fixes:{}\nFix these first (`ptdoctor "
                "explain RULE-ID` says how), or pass --force to apply the planned steps anyway",
                open.size(), list);
  return exit_code_for(Verdict::kNotReady);
}

// One consent before the first change: --yes, or a "y" on the terminal after the plan was shown. Without a
// terminal and without --yes nothing is changed, files included.
std::optional<int> ask_consent(const fix::Plan& plan, const HostView& host, bool yes) {
  const std::string changes = fix::describe_changes(plan, host.live());
  if (changes.empty() || yes) return std::nullopt;
  if (::isatty(STDIN_FILENO) != 1) {
    spdlog::error("not applying {} to {} without consent: there is no terminal to ask; review `ptdoctor plan`, then "
                  "run again with --yes", changes, host.root());
    return kExitUsage;
  }
  std::fputs(fix::render_plan_text(plan).c_str(), stdout);
  std::fflush(stdout);
  if (ask_yes_no("Apply these " + changes + " to " + host.root() + "?")) return std::nullopt;
  std::printf("Nothing was changed.\n");
  return 1;
}

}  // namespace

// `ptdoctor fix`: a dry run (the plan) unless --apply; then every file atomically, through a journal.
void register_fix(CLI::App& app, CommandContext& context) {
  struct Local {
    fix::Choices choices;
    bool apply = false;
    bool yes = false;
    bool force = false;
    std::string plan_file;
  };
  auto local = std::make_shared<Local>();
  CLI::App* command = app.add_subcommand("fix", "Build the passthrough setup: dry run by default, --apply to change files");
  add_host_options(*command, context.options);
  add_choice_options(*command, local->choices);
  command->add_flag("--apply", local->apply, "Change the files (journaled: `ptdoctor rollback` undoes it)");
  command->add_flag("-y,--yes", local->yes,
                    "Apply without asking (needed without a terminal: for file changes and commands alike)");
  command->add_flag("--force", local->force, "Apply even while failing blockers remain that no planned step fixes");
  command->add_option("--plan", local->plan_file, "Apply this saved plan (plan --format json) instead of planning anew")
      ->type_name("FILE");
  command->callback([&context, local] {
    context.action = [&context, local]() -> int {
      if (local->apply) refuse_apply_without_host(context.options);
      Session session(context.options);
      if (local->apply) {
        require_root_for_live(session.host(), "fix --apply");
        require_durable_root(session.host());
      }
      std::vector<RuleResult> results;
      fix::Plan plan = local->plan_file.empty() ? plan_for(session, local->choices, &results)
                                                : load_plan_file(local->plan_file, session.host().root());
      if (!local->apply) {
        std::string text = fix::render_plan_text(plan) + "Dry run: nothing was changed.\n";
        return emit(text, "") ? 0 : kExitCantCreate;
      }
      const HostView& host = session.host();
      if (!local->plan_file.empty()) results = session.check().results;
      if (auto stop = refuse_unaddressed(plan, results, local->force)) return *stop;
      if (auto stop = ask_consent(plan, host, local->yes)) return *stop;
      fix::ApplyOptions options;
      options.run_commands = host.live();
      options.confirm = [](const std::vector<std::string>&) { return true; };  // consented once, above
      options.log = [](const std::string& line) { std::printf("%s\n", line.c_str()); };
      auto outcome = fix::apply_plan(plan, host, options);
      if (!outcome) {
        spdlog::error("{}", outcome.error().message);
        return 1;
      }
      std::printf("%s\n", fix::describe_outcome(*outcome).c_str());
      if (outcome->journal_id.empty()) return 0;
      std::printf("Journal %s; undo with `ptdoctor rollback %s%s`.\n", outcome->journal_id.c_str(),
                  outcome->journal_id.c_str(), host.live() ? "" : (" --root " + host.root()).c_str());
      for (const std::string& note : plan.notes) std::printf("Note: %s\n", note.c_str());
      return 0;
    };
  });
}

}  // namespace ptdoctor::cli
