#include <spdlog/spdlog.h>

#include "cli/fix_options.hpp"
#include "fix/plan.hpp"

namespace ptdoctor::cli {

// `ptdoctor plan`: what `fix --apply` would do, why, and the diff of every file; changes nothing.
void register_plan(CLI::App& app, CommandContext& context) {
  struct Local {
    fix::Choices choices;
    std::string format = "text";
    std::string output;
  };
  auto local = std::make_shared<Local>();
  CLI::App* command = app.add_subcommand("plan", "Show what `fix --apply` would change on this host, why, and the diffs");
  add_host_options(*command, context.options);
  add_choice_options(*command, local->choices);
  CLI::Option* format =
      command
          ->add_option("--format", local->format,
                       "text or json (json keeps the new contents, for fix --plan; default: from -o FILE's extension)")
          ->check(CLI::IsMember({"text", "json"}));
  command->add_option("-o,--output", local->output, "Write to FILE (atomically) instead of stdout")->type_name("FILE");
  command->callback([&context, local, format] {
    choose_format(*format, local->output, {"text", "json"}, local->format);
    context.action = [&context, local]() -> int {
      Session session(context.options);
      fix::Plan plan = plan_for(session, local->choices);
      std::string text = local->format == "json" ? fix::plan_to_json(plan).dump(2) + "\n" : fix::render_plan_text(plan);
      return emit(text, local->output) ? 0 : kExitCantCreate;
    };
  });
}

}  // namespace ptdoctor::cli
