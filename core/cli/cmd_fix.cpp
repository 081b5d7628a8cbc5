#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "cli/fix_options.hpp"
#include "fix/actions.hpp"
#include "fix/applier.hpp"
#include "fix/plan.hpp"

namespace ptdoctor::cli {
namespace {

fix::Plan load_plan_file(const std::string& path, const std::string& root) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("--plan " + path + ": cannot read it");
  std::stringstream buffer;
  buffer << in.rdbuf();
  Json document = Json::parse(buffer.str(), nullptr, false);
  if (document.is_discarded()) throw UsageError("--plan " + path + ": not JSON; save one with `ptdoctor plan --format json -o FILE`");
  auto plan = fix::plan_from_json(document, path);
  if (!plan) throw UsageError(plan.error().message);
  if (plan->root != root) {
    throw UsageError("--plan " + path + " was made for root " + plan->root + ", not " + root);
  }
  return std::move(*plan);
}

}  // namespace

// `ptdoctor fix`: a dry run (the plan) unless --apply; then every file atomically, through a journal.
void register_fix(CLI::App& app, CommandContext& context) {
  struct Local {
    fix::Choices choices;
    bool apply = false;
    bool yes = false;
    std::string plan_file;
  };
  auto local = std::make_shared<Local>();
  CLI::App* command = app.add_subcommand("fix", "Build the passthrough setup: dry run by default, --apply to change files");
  add_host_options(*command, context.options);
  add_choice_options(*command, local->choices);
  command->add_flag("--apply", local->apply, "Change the files (journaled: `ptdoctor rollback` undoes it)");
  command->add_flag("-y,--yes", local->yes, "Do not ask before each command (update-grub, ...)");
  command->add_option("--plan", local->plan_file, "Apply this saved plan (plan --format json) instead of planning anew")
      ->type_name("FILE");
  command->callback([&context, local] {
    context.action = [&context, local]() -> int {
      Session session(context.options);
      fix::Plan plan = local->plan_file.empty() ? plan_for(session, local->choices)
                                                : load_plan_file(local->plan_file, session.host().root());
      if (!local->apply) {
        std::string text = fix::render_plan_text(plan) + "Dry run: nothing was changed.\n";
        return emit(text, "") ? 0 : kExitInternal;
      }
      const HostView& host = session.host();
      require_root_for_live(host, "fix --apply");
      fix::ApplyOptions options;
      options.run_commands = host.live();
      bool yes = local->yes;
      options.confirm = [yes](const std::vector<std::string>& argv) {
        if (yes) return true;
        std::string shown = fix::RunCommandAction(argv).describe();
        bool run = ask_yes_no("Run `" + shown + "`?");
        if (!run && ::isatty(STDIN_FILENO) != 1) spdlog::warn("not run without --yes (no terminal to ask): {}", shown);
        return run;
      };
      options.log = [](const std::string& line) { std::printf("%s\n", line.c_str()); };
      auto outcome = fix::apply_plan(plan, host, options);
      if (!outcome) {
        spdlog::error("{}", outcome.error().message);
        return 1;
      }
      if (outcome->journal_id.empty()) return 0;
      std::printf("Applied %zu step(s), %zu file(s) changed. Journal %s; undo with `ptdoctor rollback %s%s`.\n",
                  outcome->steps_done, outcome->files_changed, outcome->journal_id.c_str(),
                  outcome->journal_id.c_str(), host.live() ? "" : (" --root " + host.root()).c_str());
      for (const std::string& note : plan.notes) std::printf("Note: %s\n", note.c_str());
      return 0;
    };
  });
}

}  // namespace ptdoctor::cli
