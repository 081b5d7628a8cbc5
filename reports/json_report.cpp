// The machine-readable report (schema: docs/report.schema.json, fields: docs/report-format.md). Keys keep a fixed,
// documented order so reports diff cleanly; the output is only the document, never log lines.
//
// Written member by member as it is rendered (JsonWriter), never built as a tree first: the facts (the report's
// fact section and each result's evidence) are most of a big host's report, and a tree would copy them all.
#include "json_writer.hpp"
#include "renderers.hpp"
#include "report_outline.hpp"

namespace ptdoctor::reports {
namespace {

// Bumped on an incompatible change of the document; additions keep the number.
constexpr std::string_view kSchemaId = "ptdoctor-report/2";

void string_map(JsonWriter& out, const std::map<std::string, std::string>& map) {
  out.begin_object();
  for (const auto& [key, value] : map) out.member(key, value);
  out.end_object();
}

// A fact tree; a null one (never set) prints as an empty object.
void facts_object(JsonWriter& out, const Json& facts) {
  if (facts.is_null()) out.begin_object().end_object();
  else out.value(facts);
}

void result_json(JsonWriter& out, const RuleResult& result) {
  out.begin_object();
  out.member("rule", result.rule_id);
  out.member("title", result.title);
  out.member("severity", to_string(result.severity));
  out.member("status", to_string(result.status));
  out.key("subject").string_or_null(result.subject);
  out.member("message", result.message);
  out.member("why", result.why);
  out.key("fixes").begin_array();
  for (const Fix& fix : result.fixes) {
    out.begin_object().member("text", fix.text);
    if (!fix.action.is_null()) out.member("action", fix.action);
    out.end_object();
  }
  out.end_array();
  out.key("refs").begin_array();
  for (const std::string& ref : result.refs) out.value(ref);
  out.end_array();
  // Each value printed where it is in the fact tree, as dump() would print a copy of it.
  out.key("facts").begin_object();
  for (const auto& [path, value] : result.facts) out.member(path, *value);
  out.end_object();
  out.key("source").string_or_null(result.source);
  out.key("follows").string_or_null(result.follows);
  out.key("caused_by").string_or_null(result.caused_by);
  out.end_object();
}

void summary_json(JsonWriter& out, const Summary& summary) {
  out.begin_object()
      .member("total", summary.pass + summary.fail + summary.skip + summary.unknown + summary.error)
      .member("pass", summary.pass)
      .member("fail", summary.fail)
      .member("skip", summary.skip)
      .member("unknown", summary.unknown)
      .member("error", summary.error)
      .member("blockers_failed", summary.blockers_failed)
      .member("warnings_failed", summary.warnings_failed)
      .end_object();
}

void causes_json(JsonWriter& out, const std::vector<RuleResult>& results) {
  out.begin_array();
  for (const Cause& cause : root_causes(results)) {
    out.begin_object()
        .member("rule", cause.result->rule_id)
        .key("subject")
        .string_or_null(cause.result->subject)
        .member("status", to_string(cause.result->status))
        .member("severity", to_string(cause.result->severity));
    out.key("first_fix");
    if (cause.result->fixes.empty()) out.value(nullptr);
    else out.value(cause.result->fixes[0].text);
    out.key("consequences").begin_array();
    for (const RuleResult* result : cause.consequences) {
      out.begin_object().member("rule", result->rule_id).key("subject").string_or_null(result->subject).end_object();
    }
    out.end_array().end_object();
  }
  out.end_array();
}

void document_json(JsonWriter& out, const RunReport& report, const RenderOptions& options) {
  out.begin_object();
  out.member("schema", kSchemaId);
  out.key("tool").begin_object().member("name", "ptdoctor").member("version", report.tool_version).end_object();
  out.key("generated_at").string_or_null(report.generated_at);
  out.key("host")
      .begin_object()
      .member("root", report.host.root)
      .member("source", report.host.source)
      .key("hostname")
      .string_or_null(report.host.hostname)
      .key("kernel")
      .string_or_null(report.host.kernel)
      .end_object();
  out.member("verdict", to_string(report.verdict));
  out.member("verdict_reason", verdict_reason(report));
  out.member("exit_code", exit_code_for(report.verdict));
  out.key("plugin_problems").begin_array();
  for (const PluginProblem& problem : report.plugin_problems) {
    out.begin_object()
        .member("plugin", problem.name)
        .member("problem", to_string(problem.kind))
        .member("reason", problem.reason)
        .end_object();
  }
  out.end_array();
  if (report.pending) {
    out.key("pending_apply").begin_object().member("journal", report.pending->journal_id);
    out.key("not_in_effect").begin_array();
    for (const std::string& step : report.pending->not_in_effect) out.value(step);
    out.end_array().end_object();
  }
  out.key("summary");
  summary_json(out, report.summary);
  out.key("causes");
  causes_json(out, report.results);
  out.key("results").begin_array();
  for (const RuleResult& result : report.results) result_json(out, result);
  out.end_array();
  out.key("plugins").begin_array();
  for (const PluginRun& run : report.plugins) {
    out.begin_object()
        .member("name", run.name)
        .member("version", run.version)
        .member("path", run.path)
        .member("ok", run.ok);
    out.key("error");
    if (run.ok) out.value(nullptr);
    else out.value(run.error);
    out.member("milliseconds", run.milliseconds).end_object();
  }
  out.end_array();
  out.key("diagnostics").begin_array();
  for (const Diagnostic& diagnostic : report.diagnostics) {
    out.begin_object()
        .member("level", diagnostic.level)
        .member("origin", diagnostic.origin)
        .member("message", diagnostic.message)
        .end_object();
  }
  out.end_array();
  out.key("unknown_reasons");
  string_map(out, report.unknown_reasons);
  out.key("provenance");
  string_map(out, report.provenance);
  if (options.include_facts) {
    out.key("facts");
    facts_object(out, report.facts());
  }
  out.end_object();
}

// Strings come from host files and may hold invalid UTF-8: replace those bytes (U+FFFD) rather than throw, so the
// document is always valid JSON. Two spaces of indentation, as dump(2).
constexpr int kIndent = 2;
constexpr JsonWriter::Errors kInvalidUtf8 = JsonWriter::Errors::replace;

}  // namespace

void write_json(const RunReport& report, const RenderOptions& options, std::streambuf& out) {
  JsonWriter writer(out, kIndent, kInvalidUtf8);
  document_json(writer, report, options);
  writer.flush();
  out.sputc('\n');
}

std::string render_json(const RunReport& report, const RenderOptions& options) {
  std::string text;
  JsonWriter writer(text, kIndent, kInvalidUtf8);
  document_json(writer, report, options);
  text += '\n';
  return text;
}

}  // namespace ptdoctor::reports
