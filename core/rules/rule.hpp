#pragma once
// One validated rule as loaded from a rules/*.yaml file (the model RuleSet holds and evaluates).
// A field added here must also be written and read by rules/rule_cache.cpp, or installed rules lose it
// (tests/e2e/rule_cache_cli_test.cpp compares every fixture host's report with and without the cache).
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "ptdoctor/json.hpp"
#include "ptdoctor/report.hpp"
#include "rules/expression.hpp"
#include "rules/message_template.hpp"

namespace ptdoctor {

struct RuleFix {
  rules::MessageTemplate text;  // rendered per result, so a per-item fix can name the item
  Json action;                  // {generator: NAME, ...} exactly as written, null for text-only fixes
};

struct Rule {
  std::string id;
  std::string title;
  Severity severity = Severity::kInfo;
  // `follows:` the id of the rule this one is a consequence of ("xen.running"): when that rule does not pass,
  // this rule's failure is reported under it instead of as a cause of its own. Checked to exist at load.
  std::string follows;
  int follows_line = 0;
  std::optional<rules::Expr> when;
  bool when_uses_item = false;             // evaluated per item instead of once before for_each
  std::optional<rules::FactRef> for_each;
  std::string item_name = "item";          // `as:`; "item" is always bound too
  std::optional<rules::MessageTemplate> subject;
  rules::Expr check;
  std::map<std::string, rules::MessageTemplate> messages;  // pass | fail | unknown | skip
  std::string why;
  std::vector<RuleFix> fixes;
  std::vector<std::string> refs;
  // Patterns as written, checked to compile at load; compiled again only by recognise() (`explain` of a pasted
  // message): compiling every rule's patterns for every `check` cost more than evaluating the rules.
  std::vector<std::string> recognises;
  std::string file;
  int line = 0;
  int column = 0;
  Json written = Json::object();           // check/when/for_each as compact YAML text, for describe()

  std::string source() const { return file + ":" + std::to_string(line); }
};

}  // namespace ptdoctor
