#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "cli/report_redaction.hpp"
#include "leave_for_exit.hpp"
#include "ptdoctor/render.hpp"
#include "spec/prepurchase.hpp"

namespace ptdoctor::cli {

namespace {

struct Local {
  std::string format = "text";
  std::string output;
  bool verbose_results = false;
  bool redact = false;
  bool no_facts = false;
};

// Pre-purchase: each parts list judged on its own, answered as a buyer needs it (docs/pre-purchase.md); several
// lists are compared in one table. The exit code is the worst build's pre-purchase verdict.
int check_parts_lists(const CommonOptions& options, const Local& local, ColorWhen color) {
  std::vector<spec::BuildAnswer> answers;
  for (const std::string& parts : options.specs) {
    CommonOptions one = options;
    one.spec = parts;
    Session session(one);
    answers.push_back(spec::answer_build(session.check()));
  }
  std::string rendered;
  if (local.format == "json") rendered = spec::answers_json(answers).dump(2) + "\n";
  else if (local.format == "markdown") rendered = spec::render_answers_markdown(answers);
  else rendered = spec::render_answers_text(answers, use_color(color, local.output));
  if (!emit(rendered, local.output)) return kExitInternal;
  return spec::exit_code_for(answers);
}

}  // namespace

void register_check(CLI::App& app, CommandContext& context) {
  auto local = std::make_shared<Local>();
  CLI::App* command = app.add_subcommand("check", "Judge whether this host (or --root DIR) is ready for passthrough");
  add_host_options(*command, context.options);
  CLI::Option* format = command->add_option("--format", local->format,
                                            "Report format: text, json, markdown or html (default: from -o FILE's "
                                            "extension, else text)")
                           ->check(CLI::IsMember(report_formats()));
  command->add_option("-o,--output", local->output, "Write the report to FILE (atomically) instead of stdout")
      ->type_name("FILE");
  command->add_flag("--redact", local->redact,
                    "Replace the hostname, serial numbers, MAC addresses, UUIDs and /home user names in the report");
  command->add_flag("--no-facts", local->no_facts,
                    "JSON: leave out the fact tree (most of the document); `ptdoctor facts` prints it");
  command->add_flag("--all", local->verbose_results,
                    "Text and Markdown: every result, also passes, info notes and consequences (as -v); Markdown "
                    "also with each rule's why (without it, compact for a forum post)");
  command->callback([&context, local, format] {
    choose_format(*format, local->output, report_formats(), local->format);
    context.action = [&context, local]() -> int {
      if (!context.options.specs.empty()) return check_parts_lists(context.options, *local, context.color_when());
      Session session(context.options);
      RunReport report = session.check();
      if (local->redact) redact_report(report, session.hostname());
      RenderOptions render;
      render.color = use_color(context.color_when(), local->output);
      // Symbols (✓ ✗) like colour only on a terminal: a file or pipe gets plain ASCII markers.
      render.unicode = writes_to_terminal(local->output);
      render.width = wrap_width(writes_to_terminal(local->output));
      render.verbose = local->verbose_results || context.options.verbosity > 0;
      render.include_facts = !local->no_facts;
      auto writer = report_writer(local->format);
      if (!writer) {
        spdlog::error("{}", writer.error().message);
        return kExitInternal;
      }
      if (!emit_streamed(local->output, [&](std::streambuf& out) { (*writer)(report, render, out); })) {
        return kExitCantCreate;
      }
      const int code = exit_code_for(report.verdict);
      leave_for_exit(std::move(report));
      session.leave_results_for_exit();
      return code;
    };
  });
}

}  // namespace ptdoctor::cli
