#include "cli/commands.hpp"
#include "cli/report_redaction.hpp"

namespace ptdoctor::cli {

// Every fact with its provenance and the reason for each unknown, as JSON: what the rules will see.
void register_facts(CLI::App& app, CommandContext& context) {
  auto output = std::make_shared<std::string>();
  auto redact = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand("facts", "Print every fact the plugins collect, as JSON");
  add_host_options(*command, context.options);
  command->add_option("-o,--output", *output, "Write to FILE (atomically) instead of stdout")->type_name("FILE");
  command->add_flag("--redact", *redact,
                    "Replace the hostname, serial numbers, MAC addresses, UUIDs and /home user names in the values");
  command->callback([&context, output, redact] {
    context.action = [&context, output, redact]() -> int {
      if (context.options.specs.size() > 1) throw UsageError("facts: give one --spec at a time");
      Session session(context.options);
      engine::Collection& collected = session.collection();
      Json plugins = Json::array();
      for (const PluginRun& run : collected.runs) {
        Json entry = {{"name", run.name}, {"version", run.version}, {"ok", run.ok},
                      {"milliseconds", run.milliseconds}};
        if (!run.ok) entry["error"] = run.error;
        plugins.push_back(std::move(entry));
      }
      Json diagnostics = Json::array();
      auto all = session.diagnostics();
      all.insert(all.end(), collected.diagnostics.begin(), collected.diagnostics.end());
      for (const Diagnostic& d : all) {
        diagnostics.push_back({{"level", d.level}, {"origin", d.origin}, {"message", d.message}});
      }
      const CommonOptions& chosen = session.options();
      Json source = !chosen.snapshot.empty() ? Json{{"snapshot", chosen.snapshot}}
                    : !chosen.spec.empty()   ? Json{{"spec", chosen.spec}}
                                             : Json{{"root", chosen.root}};
      // Filled part by part, the fact tree moved out of the store: an initializer list would copy every fact
      // (most of the memory of `facts` on a big host). Keys print in sorted order whichever way they are added.
      Json document = Json::object();
      document["source"] = std::move(source);
      document["root"] = chosen.snapshot.empty() && chosen.spec.empty() ? Json(chosen.root) : Json();
      document["provenance"] = collected.facts.provenance();
      document["unknown_reasons"] = collected.facts.unknown_reasons();
      document["plugins"] = std::move(plugins);
      document["diagnostics"] = std::move(diagnostics);
      document["facts"] = collected.facts.release_tree();
      if (*redact) {
        // Keys are fact paths and field names; only values can name the machine.
        const std::string hostname = session.hostname();
        for (const char* part : {"source", "root", "facts", "provenance", "unknown_reasons", "plugins", "diagnostics"}) {
          redact_values(document[part], hostname);
        }
      }
      return emit_json(document, 2, *output) ? 0 : kExitCantCreate;
    };
  });
}

}  // namespace ptdoctor::cli
