#include <cstdio>

#include "cli/commands.hpp"

namespace ptdoctor::cli {

void register_plugins(CLI::App& app, CommandContext& context) {
  auto json = std::make_shared<bool>(false);
  auto reference = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand("plugins", "List the check plugins: name, version, ABI, path and facts");
  add_catalogue_options(*command, context.options);
  command->add_flag("--json", *json, "Print as JSON");
  command->add_flag("--facts-reference", *reference,
                    "Print every declared fact (path, type, description) as Markdown: docs/facts.md");
  command->callback([&context, json, reference] {
    context.action = [&context, json, reference]() -> int {
      Session session(context.options);
      if (*reference) return emit(facts::render_fact_reference(session.catalog()), "") ? 0 : kExitCantCreate;
      auto& plugins = session.declared_plugins();
      Json list = Json::array();
      for (const auto& loaded : plugins) {
        list.push_back({{"name", loaded.info.name},
                        {"version", loaded.info.version},
                        {"abi", kPluginAbiVersion},
                        {"path", loaded.path},
                        {"namespace", loaded.info.fact_namespace},
                        {"summary", loaded.info.summary},
                        {"provides", loaded.info.provides},
                        {"needs", loaded.info.needs}});
      }
      if (*json) {
        Json problems = Json::array();
        for (const auto& d : session.diagnostics()) problems.push_back(d.message);
        return emit(Json{{"plugins", list}, {"problems", problems}}.dump(2) + "\n", "") ? 0 : kExitCantCreate;
      }
      std::string text;
      for (const auto& loaded : plugins) {
        text += loaded.info.name + " " + loaded.info.version + " (ABI " + std::to_string(kPluginAbiVersion) +
                ")  " + loaded.info.summary + "\n";
        text += "  path:     " + loaded.path + "\n";
        text += "  facts:    " + loaded.info.fact_namespace + ".*";
        for (const auto& fact : loaded.info.provides) text += "\n            " + fact;
        text += "\n";
        if (!loaded.info.needs.empty()) {
          text += "  runs after:";
          for (const auto& need : loaded.info.needs) text += " " + need;
          text += "\n";
        }
      }
      if (plugins.empty()) text += "no plugins loaded\n";
      for (const auto& d : session.diagnostics()) text += "refused: " + d.message + "\n";
      emit(text, "");
      return session.diagnostics().empty() ? 0 : 1;
    };
  });
}

}  // namespace ptdoctor::cli
