#include "rules/rule_fields.hpp"

#include <map>
#include <regex>
#include <set>

#include "fix/generators.hpp"
#include "rules/expression_parser.hpp"
#include "util/regex_guard.hpp"
#include "rules/yaml_util.hpp"

namespace ptdoctor::rules {
namespace {

const std::set<std::string> kRuleKeys = {"id", "title", "severity", "when", "for_each", "as", "subject",
                                         "check", "message", "why", "fix", "refs", "recognises", "follows"};
const std::set<std::string> kMessageKeys = {"pass", "fail", "unknown", "skip"};

std::string key_list(const std::set<std::string>& keys) {
  std::string text;
  for (const std::string& key : keys) text += (text.empty() ? "" : ", ") + key;
  return text;
}

class RuleParser {
 public:
  RuleParser(const YAML::Node& node, const std::string& file, std::vector<std::string>& problems)
      : node_(node), file_(file), problems_(problems), expressions_(file, problems, budget_) {}

  std::optional<Rule> parse() {
    std::size_t before = problems_.size();
    rule_.file = file_;
    rule_.line = node_.Mark().line + 1;
    rule_.column = node_.Mark().column + 1;
    keys_known(node_, kRuleKeys, "rule");  // and go on: report the other mistakes of the rule too
    parse_header();
    parse_iteration();
    parse_logic();
    parse_texts();
    if (problems_.size() != before) return std::nullopt;
    return std::move(rule_);
  }

 private:
  void problem(const YAML::Node& at, const std::string& message) { problems_.push_back(where(file_, at.Mark()) + ": " + message); }

  // The id as written, even when it is malformed, so messages about other fields can name the rule.
  std::string named() const {
    const YAML::Node id = node_["id"];
    return id && id.IsScalar() && !id.Scalar().empty() ? "rule '" + id.Scalar() + "'" : "this rule";
  }

  // Every key must be known and appear once; yaml-cpp keeps duplicates, so look for them here.
  bool keys_known(const YAML::Node& map, const std::set<std::string>& allowed, const std::string& what) {
    bool ok = true;
    std::set<std::string> seen;
    for (const auto& pair : map) {
      const std::string key = pair.first.IsScalar() ? pair.first.Scalar() : "?";
      if (!allowed.count(key)) {
        problem(pair.first, "unknown key '" + key + "' in " + what + " (allowed: " + key_list(allowed) + ")");
        ok = false;
      } else if (!seen.insert(key).second) {
        problem(pair.first, "key '" + key + "' appears twice in " + what);
        ok = false;
      }
    }
    return ok;
  }

  // A required or optional text field; false (with a problem) when present but not text.
  std::optional<std::string> text(const char* key, bool required, const std::string& hint = "") {
    const YAML::Node value = node_[key];
    if (!value || value.IsNull()) {
      if (required) problem(node_, named() + " has no " + key + hint);
      return std::nullopt;
    }
    if (!value.IsScalar() || value.Scalar().empty()) {
      problem(value, std::string(key) + " must be a non-empty text");
      return std::nullopt;
    }
    return value.Scalar();
  }

  Scope item_scope() const { return rules::item_scope(rule_); }

  void parse_header() {
    static const std::regex kId("[a-z0-9][a-z0-9.-]*");
    if (auto id = text("id", true)) {
      if (std::regex_match(*id, kId)) {
        rule_.id = *id;
      } else {
        problem(node_["id"], "rule id '" + *id + "' must match [a-z0-9][a-z0-9.-]* (e.g. cpu.hvm-visible)");
      }
    }
    if (auto title = text("title", true)) rule_.title = *title;
    if (auto severity = text("severity", true, " (blocker, warning or info)")) {
      if (std::optional<Severity> named = severity_named(*severity)) {
        rule_.severity = *named;
      } else {
        problem(node_["severity"], "severity '" + *severity + "' must be blocker, warning or info");
      }
    }
    if (auto follows = text("follows", false)) {
      if (!std::regex_match(*follows, kId)) {
        problem(node_["follows"], "follows: '" + *follows + "' is not a rule id (e.g. xen.running)");
      } else if (*follows == rule_.id) {
        problem(node_["follows"], "follows: " + named() + " cannot follow from itself");
      } else {
        rule_.follows = *follows;
        rule_.follows_line = node_["follows"].Mark().line + 1;
      }
    }
  }

  void parse_iteration() {
    if (const YAML::Node list = node_["for_each"]) {
      if (auto ref = expressions_.fact_reference(list, {}, "for_each")) {
        rule_.for_each = *ref;
        rule_.written["for_each"] = "$" + ref->path;
      }
    }
    if (const YAML::Node as = node_["as"]) {
      FactRef name;
      if (!node_["for_each"]) {
        problem(as, "as: names the for_each item, but " + named() + " has no for_each");
      } else if (!as.IsScalar() || as.Scalar().find('.') != std::string::npos ||
                 parse_fact_path(as.Scalar(), {as.Scalar()}, name)) {
        problem(as, "as: must be a plain name such as gpu");
      } else {
        rule_.item_name = as.Scalar();
      }
    }
  }

  void parse_logic() {
    Scope scope = item_scope();
    if (const YAML::Node when = node_["when"]) {
      rule_.when = expressions_.condition(when, scope);
      if (rule_.when) {
        rule_.when_uses_item = references_name(*rule_.when, "item") || references_name(*rule_.when, rule_.item_name);
        written("when", when);
      }
    }
    const YAML::Node check = node_["check"];
    if (!check || check.IsNull()) {
      problem(node_, named() + " has no check (the condition that must hold)");
    } else if (auto expr = expressions_.condition(check, scope)) {
      rule_.check = std::move(*expr);
      written("check", check);
    }
  }

  void written(const char* key, const YAML::Node& node) {
    // Its own budget: the expression already passed the parser's, and this walk must not eat into it.
    NodeBudget budget;
    Json value;
    std::string ignored;
    if (yaml_to_json(node, value, budget, ignored)) rule_.written[key] = compact_yaml(value);
  }

  std::optional<MessageTemplate> template_of(const YAML::Node& node, const std::string& what) {
    if (!node.IsScalar()) {
      problem(node, what + " must be a text");
      return std::nullopt;
    }
    MessageTemplate parsed;
    if (auto bad = MessageTemplate::parse(node.Scalar(), item_scope(), parsed)) {
      problem(node, what + ": " + *bad);
      return std::nullopt;
    }
    return parsed;
  }

  void parse_texts() {
    if (auto why = text("why", rule_.severity != Severity::kInfo,
                        " (why it matters: required for blocker and warning rules)")) {
      rule_.why = *why;
    }
    if (const YAML::Node subject = node_["subject"]) {
      rule_.subject = template_of(subject, "subject");
    }
    parse_messages();
    parse_fixes();
    parse_strings("refs", [this](const YAML::Node& ref) { rule_.refs.push_back(ref.Scalar()); });
    parse_strings("recognises", [this](const YAML::Node& pattern) {
      std::regex compiled;
      if (auto bad = compile_pattern(pattern.Scalar(), true, compiled)) {
        problem(pattern, "recognises: " + *bad);
        return;
      }
      rule_.recognises.push_back(pattern.Scalar());
    });
  }

  void parse_messages() {
    const YAML::Node messages = node_["message"];
    if (!messages || !messages.IsMap()) {
      problem(messages ? messages : node_, named() + " needs message: with at least fail: (the text shown when the check fails)");
      return;
    }
    if (!keys_known(messages, kMessageKeys, "message")) return;
    if (!messages["fail"]) problem(messages, "message has no fail: (the text shown when the check fails)");
    for (const auto& pair : messages) {
      if (auto parsed = template_of(pair.second, "message." + pair.first.Scalar())) {
        rule_.messages[pair.first.Scalar()] = std::move(*parsed);
      }
    }
  }

  void parse_fixes() {
    const YAML::Node fixes = node_["fix"];
    if (!fixes) return;
    if (!fixes.IsSequence()) {
      problem(fixes, "fix must be a list of texts or {text: ..., action: {generator: NAME, ...}}");
      return;
    }
    for (const YAML::Node& entry : fixes) parse_fix(entry);
  }

  // Note: YAML::Node assignment writes through to the node it refers to, so nodes here are never reassigned.
  void parse_fix(const YAML::Node& entry) {
    RuleFix fix;
    if (entry.IsMap()) {
      if (!keys_known(entry, {"text", "action"}, "fix")) return;
      if (!entry["text"]) {
        problem(entry, "fix needs text: (what to do, for people)");
        return;
      }
      if (const YAML::Node action = entry["action"]) {
        std::string why;
        if (!action.IsMap() || !action["generator"] || !action["generator"].IsScalar()) {
          problem(action, "fix action must be a map with generator: NAME and the generator's parameters");
          return;
        }
        // One table (fix/generators.hpp) says which generators exist: a misspelt one is a load error here, not a
        // fix that `ptdoctor plan` silently skips.
        if (fix::find_generator(action["generator"].Scalar()) == nullptr) {
          problem(action["generator"], "no fix generator '" + action["generator"].Scalar() +
                                           "'; known: " + fix::generator_names() + " (docs/fixing.md)");
          return;
        }
        if (!yaml_to_json(action, fix.action, budget_, why)) {
          problem(action, "fix action " + why);
          return;
        }
      }
    }
    if (auto parsed = template_of(entry.IsMap() ? entry["text"] : entry, "fix text")) {
      fix.text = std::move(*parsed);
      rule_.fixes.push_back(std::move(fix));
    }
  }

  template <class Add>
  void parse_strings(const char* key, const Add& add) {
    const YAML::Node list = node_[key];
    if (!list) return;
    if (!list.IsSequence()) {
      problem(list, std::string(key) + " must be a list of texts");
      return;
    }
    for (const YAML::Node& element : list) {
      if (element.IsScalar()) {
        add(element);
      } else {
        problem(element, std::string(key) + " entries must be texts");
      }
    }
  }

  const YAML::Node& node_;
  const std::string& file_;
  std::vector<std::string>& problems_;
  NodeBudget budget_;
  ExpressionParser expressions_;
  Rule rule_;
};

}  // namespace

Scope item_scope(const Rule& rule) {
  if (!rule.for_each) return {};
  Scope scope = {"item"};
  if (rule.item_name != "item") scope.push_back(rule.item_name);
  return scope;
}

std::optional<Severity> severity_named(const std::string& name) {
  for (Severity severity : {Severity::kBlocker, Severity::kWarning, Severity::kInfo}) {
    if (name == to_string(severity)) return severity;
  }
  return std::nullopt;
}

std::optional<Rule> parse_rule(const YAML::Node& node, const std::string& file, std::vector<std::string>& problems) {
  if (!node.IsMap()) {
    problems.push_back(where(file, node.Mark()) + ": each entry of rules: must be a map (id, title, severity, check, ...)");
    return std::nullopt;
  }
  return RuleParser(node, file, problems).parse();
}

}  // namespace ptdoctor::rules
