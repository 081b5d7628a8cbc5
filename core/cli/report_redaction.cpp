#include "cli/report_redaction.hpp"

#include "snapshot/redact.hpp"

namespace ptdoctor::cli {
namespace {

bool identity_key(const std::string& key) {
  return key.find("serial") != std::string::npos || key.find("uuid") != std::string::npos;
}

void redact_string(std::string& text, std::string_view hostname) {
  text = snapshot::redact_text(std::move(text), hostname);
}

void redact_map_values(std::map<std::string, std::string>& map, std::string_view hostname) {
  for (auto& [key, value] : map) redact_string(value, hostname);
}

}  // namespace

void redact_values(Json& value, std::string_view hostname) {
  if (value.is_string()) {
    redact_string(value.get_ref<std::string&>(), hostname);
  } else if (value.is_array()) {
    for (Json& element : value) redact_values(element, hostname);
  } else if (value.is_object()) {
    for (auto member = value.begin(); member != value.end(); ++member) {
      if (identity_key(member.key()) && !member->is_null()) {
        *member = "REDACTED";
      } else {
        redact_values(*member, hostname);
      }
    }
  }
}

// The evidence refers into the fact tree, which the results share: a value redaction changes is put in its place,
// and every other is left referring where it did. A path is a key of the evidence object, so a path naming a serial
// number or UUID is redacted whole, as redact_values() does with such a key.
void redact_evidence(ResultFacts& facts, std::string_view hostname) {
  std::size_t index = 0;
  for (const auto& [path, value] : facts) {
    Json redacted = *value;
    if (identity_key(path) && !value->is_null()) {
      redacted = "REDACTED";
    } else {
      redact_values(redacted, hostname);
    }
    if (redacted != *value) facts.replace(index, std::move(redacted));
    ++index;
  }
}

void redact_report(RunReport& report, std::string_view hostname) {
  redact_string(report.host.root, hostname);
  if (!report.host.hostname.empty()) report.host.hostname = snapshot::kRedactedHostname;
  for (PluginRun& run : report.plugins) {
    redact_string(run.path, hostname);
    redact_string(run.error, hostname);
  }
  for (PluginProblem& problem : report.plugin_problems) redact_string(problem.reason, hostname);
  for (RuleResult& result : report.results) {
    for (std::string* text : {&result.subject, &result.message, &result.why}) redact_string(*text, hostname);
    for (Fix& fix : result.fixes) {
      redact_string(fix.text, hostname);
      redact_values(fix.action, hostname);
    }
    redact_evidence(result.facts, hostname);
  }
  for (Diagnostic& diagnostic : report.diagnostics) redact_string(diagnostic.message, hostname);
  redact_values(report.edit_facts(), hostname);
  redact_map_values(report.provenance, hostname);
  redact_map_values(report.unknown_reasons, hostname);
}

}  // namespace ptdoctor::cli
