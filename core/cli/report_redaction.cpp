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

Json redact_values(const Json& value, std::string_view hostname) {
  if (value.is_string()) return snapshot::redact_text(value.get<std::string>(), hostname);
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& element : value) out.push_back(redact_values(element, hostname));
    return out;
  }
  if (value.is_object()) {
    Json out = Json::object();
    for (const auto& [key, member] : value.items()) {
      out[key] = identity_key(key) && !member.is_null() ? Json("REDACTED") : redact_values(member, hostname);
    }
    return out;
  }
  return value;
}

// The evidence refers into the fact tree, which the results share: a value redaction changes is put in its place,
// and every other is left referring where it did. A path is a key of the evidence object, so a path naming a serial
// number or UUID is redacted whole, as redact_values() does with such a key.
void redact_evidence(ResultFacts& facts, std::string_view hostname) {
  std::size_t index = 0;
  for (const auto& [path, value] : facts) {
    Json redacted = identity_key(path) && !value->is_null() ? Json("REDACTED") : redact_values(*value, hostname);
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
      fix.action = redact_values(fix.action, hostname);
    }
    redact_evidence(result.facts, hostname);
  }
  for (Diagnostic& diagnostic : report.diagnostics) redact_string(diagnostic.message, hostname);
  report.facts = redact_values(report.facts, hostname);
  redact_map_values(report.provenance, hostname);
  redact_map_values(report.unknown_reasons, hostname);
}

}  // namespace ptdoctor::cli
