#include "cli/commands.hpp"

namespace ptdoctor::cli {
namespace {

std::string text_of(const Json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

// Renders RuleSet::describe() output for a terminal.
std::string explain_text(const Json& rule) {
  std::string text = rule.value("id", "") + " (" + rule.value("severity", "") + "): " + rule.value("title", "") + "\n";
  if (rule.contains("source")) text += "  defined at: " + text_of(rule["source"]) + "\n";
  if (rule.contains("why") && !rule["why"].is_null()) text += "\nWhy it matters:\n  " + text_of(rule["why"]) + "\n";
  if (rule.contains("check")) text += "\nCheck:\n  " + text_of(rule["check"]) + "\n";
  if (rule.contains("fixes") && !rule["fixes"].empty()) {
    text += "\nHow to fix:\n";
    for (const Json& fix : rule["fixes"]) text += "  - " + (fix.is_object() ? fix.value("text", "") : text_of(fix)) + "\n";
  }
  if (rule.contains("refs") && !rule["refs"].empty()) {
    text += "\nReferences:\n";
    for (const Json& ref : rule["refs"]) text += "  - " + text_of(ref) + "\n";
  }
  return text;
}

}  // namespace

void register_rules(CLI::App& app, CommandContext& context) {
  auto json = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand("rules", "List the loaded rules");
  add_catalogue_options(*command, context.options);
  command->add_flag("--json", *json, "Print as JSON");
  command->callback([&context, json] {
    context.action = [&context, json]() -> int {
      Session session(context.options);
      Json all = session.rules().describe_all();
      if (*json) return emit(all.dump(2) + "\n", "") ? 0 : kExitInternal;
      std::string text;
      for (const Json& rule : all) {
        std::string id = rule.value("id", "");
        std::string severity = rule.value("severity", "");
        id.resize(std::max<std::size_t>(id.size(), 36), ' ');
        severity.resize(std::max<std::size_t>(severity.size(), 8), ' ');
        text += id + " " + severity + " " + rule.value("title", "") + "\n";
      }
      text += std::to_string(all.size()) + " rules\n";
      return emit(text, "") ? 0 : kExitInternal;
    };
  });
}

void register_explain(CLI::App& app, CommandContext& context) {
  auto id = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand("explain", "Print a rule's full text: why, how to fix, references");
  add_catalogue_options(*command, context.options);
  command->add_option("rule", *id, "Rule id (see `ptdoctor rules`)")->required();
  command->add_flag("--json", *json, "Print as JSON");
  command->callback([&context, id, json] {
    context.action = [&context, id, json]() -> int {
      Session session(context.options);
      Json rule = session.rules().describe(*id);
      if (rule.is_null()) throw UsageError("no rule '" + *id + "'; `ptdoctor rules` lists them");
      return emit(*json ? rule.dump(2) + "\n" : explain_text(rule), "") ? 0 : kExitInternal;
    };
  });
}

}  // namespace ptdoctor::cli
