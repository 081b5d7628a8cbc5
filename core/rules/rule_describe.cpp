#include "rules/rule_describe.hpp"

namespace ptdoctor::rules {

Json describe_rule(const Rule& rule) {
  Json out = Json::object();
  out["id"] = rule.id;
  out["title"] = rule.title;
  out["severity"] = to_string(rule.severity);
  out["why"] = rule.why.empty() ? Json() : Json(rule.why);
  out["check"] = rule.written.value("check", "");
  out["when"] = rule.written.contains("when") ? rule.written["when"] : Json();
  out["for_each"] = rule.written.contains("for_each") ? rule.written["for_each"] : Json();
  if (rule.for_each) out["as"] = rule.item_name;
  Json messages = Json::object();
  for (const auto& [status, text] : rule.messages) messages[status] = text.text();
  out["message"] = messages;
  Json fixes = Json::array();
  for (const RuleFix& fix : rule.fixes) fixes.push_back({{"text", fix.text.text()}, {"action", fix.action}});
  out["fixes"] = fixes;
  out["refs"] = rule.refs;
  out["recognises"] = rule.recognises;
  out["follows"] = rule.follows.empty() ? Json() : Json(rule.follows);
  out["source"] = rule.source();
  return out;
}

}  // namespace ptdoctor::rules
