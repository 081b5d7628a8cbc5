// The machine-readable report (schema: docs/report.schema.json, fields: docs/report-format.md). Keys keep a fixed,
// documented order so reports diff cleanly; the output is only the document, never log lines.
#include "renderers.hpp"
#include "report_outline.hpp"

namespace ptdoctor::reports {
namespace {

using Ordered = nlohmann::ordered_json;

// Bumped on an incompatible change of the document; additions keep the number.
constexpr std::string_view kSchemaId = "ptdoctor-report/2";

Ordered optional_string(const std::string& value) { return value.empty() ? Ordered(nullptr) : Ordered(value); }

Ordered string_map(const std::map<std::string, std::string>& map) {
  Ordered out = Ordered::object();
  for (const auto& [key, value] : map) out[key] = value;
  return out;
}

Ordered result_json(const RuleResult& result) {
  Ordered fixes = Ordered::array();
  for (const Fix& fix : result.fixes) {
    Ordered entry = {{"text", fix.text}};
    if (!fix.action.is_null()) entry["action"] = Ordered(fix.action);
    fixes.push_back(std::move(entry));
  }
  return Ordered{
      {"rule", result.rule_id},
      {"title", result.title},
      {"severity", to_string(result.severity)},
      {"status", to_string(result.status)},
      {"subject", optional_string(result.subject)},
      {"message", result.message},
      {"why", result.why},
      {"fixes", std::move(fixes)},
      {"refs", result.refs},
      {"facts", result.facts.is_null() ? Ordered::object() : Ordered(result.facts)},
      {"source", optional_string(result.source)},
      {"follows", optional_string(result.follows)},
      {"caused_by", optional_string(result.caused_by)},
  };
}

Ordered summary_json(const Summary& summary) {
  return Ordered{
      {"total", summary.pass + summary.fail + summary.skip + summary.unknown + summary.error},
      {"pass", summary.pass},
      {"fail", summary.fail},
      {"skip", summary.skip},
      {"unknown", summary.unknown},
      {"error", summary.error},
      {"blockers_failed", summary.blockers_failed},
      {"warnings_failed", summary.warnings_failed},
  };
}

}  // namespace

std::string render_json(const RunReport& report, const RenderOptions& options) {
  Ordered document;
  document["schema"] = kSchemaId;
  document["tool"] = {{"name", "ptdoctor"}, {"version", report.tool_version}};
  document["generated_at"] = optional_string(report.generated_at);
  document["host"] = {{"root", report.host.root},
                      {"source", report.host.source},
                      {"hostname", optional_string(report.host.hostname)},
                      {"kernel", optional_string(report.host.kernel)}};
  document["verdict"] = to_string(report.verdict);
  document["verdict_reason"] = verdict_reason(report);
  document["exit_code"] = exit_code_for(report.verdict);
  Ordered& plugin_problems = document["plugin_problems"] = Ordered::array();
  for (const PluginProblem& problem : report.plugin_problems) {
    plugin_problems.push_back(
        {{"plugin", problem.name}, {"problem", to_string(problem.kind)}, {"reason", problem.reason}});
  }
  if (report.pending) {
    document["pending_apply"] = {{"journal", report.pending->journal_id},
                                 {"not_in_effect", report.pending->not_in_effect}};
  }
  document["summary"] = summary_json(report.summary);
  Ordered& causes = document["causes"] = Ordered::array();
  for (const Cause& cause : root_causes(report.results)) {
    Ordered consequences = Ordered::array();
    for (const RuleResult* result : cause.consequences) {
      consequences.push_back({{"rule", result->rule_id}, {"subject", optional_string(result->subject)}});
    }
    causes.push_back({{"rule", cause.result->rule_id},
                      {"subject", optional_string(cause.result->subject)},
                      {"status", to_string(cause.result->status)},
                      {"severity", to_string(cause.result->severity)},
                      {"first_fix", cause.result->fixes.empty() ? Ordered(nullptr) : Ordered(cause.result->fixes[0].text)},
                      {"consequences", std::move(consequences)}});
  }
  Ordered& results = document["results"] = Ordered::array();
  for (const RuleResult& result : report.results) results.push_back(result_json(result));
  Ordered& plugins = document["plugins"] = Ordered::array();
  for (const PluginRun& run : report.plugins) {
    plugins.push_back({{"name", run.name},
                       {"version", run.version},
                       {"path", run.path},
                       {"ok", run.ok},
                       {"error", run.ok ? Ordered(nullptr) : Ordered(run.error)},
                       {"milliseconds", run.milliseconds}});
  }
  Ordered& diagnostics = document["diagnostics"] = Ordered::array();
  for (const Diagnostic& diagnostic : report.diagnostics) {
    diagnostics.push_back(
        {{"level", diagnostic.level}, {"origin", diagnostic.origin}, {"message", diagnostic.message}});
  }
  document["unknown_reasons"] = string_map(report.unknown_reasons);
  document["provenance"] = string_map(report.provenance);
  if (options.include_facts) document["facts"] = report.facts.is_null() ? Ordered::object() : Ordered(report.facts);
  // Strings come from host files and may hold invalid UTF-8: replace those bytes (U+FFFD) rather than throw, so
  // the document is always valid JSON.
  return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace ptdoctor::reports
