#include "rules/rule_cache.hpp"

#include <cstdint>
#include <cstdio>
#include <string_view>
#include <utility>

#include "ptdoctor/config.hpp"
#include "rules/regex_guard.hpp"
#include "rules/rule_fields.hpp"
#include "util/input_file.hpp"

namespace ptdoctor::rules {
namespace {

// Bump when the layout below changes: a cache of another format is ignored, never misread.
constexpr int kFormat = 2;
// The cache of the shipped rules is about 100 KiB; anything far larger is not ours.
constexpr InputKind kRuleCacheInput{"compiled rule cache", 16u << 20};

// The key of a file's bytes: its length and FNV-1a 64-bit hash. It tells an edited file from the shipped one
// (an accidental collision of both is out of reach); it is no defence against someone who can write the rules
// directory, and needs none: whoever can write there can write the rules themselves. SHA-256 cost 7% of a check.
std::string content_key(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char byte : bytes) hash = (hash ^ byte) * 1099511628211ull;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return std::to_string(bytes.size()) + ":" + hex;
}

Json fact_to_cache(const FactRef& fact) { return {{"path", fact.path}, {"parts", fact.parts}}; }

FactRef fact_from_cache(const Json& entry) {
  return FactRef{entry.at("path").get<std::string>(), entry.at("parts").get<std::vector<std::string>>()};
}

Json expr_to_cache(const Expr& expr) {
  Json out = {{"kind", static_cast<int>(expr.kind)}, {"line", expr.line}, {"column", expr.column}};
  switch (expr.kind) {
    case Expr::Kind::kLiteral:
      out["literal"] = expr.literal;
      // The pattern of `matches`, compiled at load: compiled again from the text when read back.
      if (expr.regex) out["pattern"] = true;
      break;
    case Expr::Kind::kFact:
      out["fact"] = fact_to_cache(expr.fact);
      break;
    case Expr::Kind::kOp: {
      out["op"] = static_cast<int>(expr.op);
      out["name"] = expr.name;
      out["variable"] = expr.variable;
      Json args = Json::array();
      for (const Expr& arg : expr.args) args.push_back(expr_to_cache(arg));
      out["args"] = std::move(args);
      break;
    }
  }
  return out;
}

// Throws (nlohmann::json::exception or std::runtime_error) on an entry that is not what expr_to_cache wrote.
Expr expr_from_cache(const Json& entry) {
  Expr expr;
  expr.kind = static_cast<Expr::Kind>(entry.at("kind").get<int>());
  expr.line = entry.at("line").get<int>();
  expr.column = entry.at("column").get<int>();
  switch (expr.kind) {
    case Expr::Kind::kLiteral:
      expr.literal = entry.at("literal");
      if (entry.contains("pattern")) {
        auto compiled = std::make_shared<std::regex>();
        if (!expr.literal.is_string() || compile_pattern(expr.literal.get<std::string>(), false, *compiled)) {
          throw std::runtime_error("a cached pattern does not compile");
        }
        expr.regex = std::move(compiled);
      }
      break;
    case Expr::Kind::kFact:
      expr.fact = fact_from_cache(entry.at("fact"));
      break;
    case Expr::Kind::kOp:
      expr.op = static_cast<Op>(entry.at("op").get<int>());
      expr.name = entry.at("name").get<std::string>();
      expr.variable = entry.at("variable").get<std::string>();
      for (const Json& arg : entry.at("args")) expr.args.push_back(expr_from_cache(arg));
      break;
    default:
      throw std::runtime_error("unknown expression kind");
  }
  return expr;
}

// Templates are stored as written and parsed again in the rule's scope, as rule_fields.cpp parses them.
MessageTemplate template_from_cache(const Json& text, const Scope& scope) {
  MessageTemplate parsed;
  if (MessageTemplate::parse(text.get<std::string>(), scope, parsed)) {
    throw std::runtime_error("a cached message template does not parse");
  }
  return parsed;
}

}  // namespace

Json rule_to_cache(const Rule& rule) {
  Json out = {{"id", rule.id},
              {"title", rule.title},
              {"severity", to_string(rule.severity)},
              {"follows", rule.follows},
              {"follows_line", rule.follows_line},
              {"when_uses_item", rule.when_uses_item},
              {"item_name", rule.item_name},
              {"check", expr_to_cache(rule.check)},
              {"why", rule.why},
              {"refs", rule.refs},
              {"recognises", rule.recognises},
              {"line", rule.line},
              {"column", rule.column},
              {"written", rule.written}};
  if (rule.when) out["when"] = expr_to_cache(*rule.when);
  if (rule.for_each) out["for_each"] = fact_to_cache(*rule.for_each);
  if (rule.subject) out["subject"] = rule.subject->text();
  Json messages = Json::object();
  for (const auto& [kind, message] : rule.messages) messages[kind] = message.text();
  out["messages"] = std::move(messages);
  Json fixes = Json::array();
  for (const RuleFix& fix : rule.fixes) fixes.push_back({{"text", fix.text.text()}, {"action", fix.action}});
  out["fixes"] = std::move(fixes);
  return out;
}

std::optional<Rule> rule_from_cache(const Json& entry, const std::string& path) {
  try {
    Rule rule;
    rule.id = entry.at("id").get<std::string>();
    rule.title = entry.at("title").get<std::string>();
    const std::optional<Severity> severity = severity_named(entry.at("severity").get<std::string>());
    if (!severity) return std::nullopt;
    rule.severity = *severity;
    rule.follows = entry.at("follows").get<std::string>();
    rule.follows_line = entry.at("follows_line").get<int>();
    if (entry.contains("when")) rule.when = expr_from_cache(entry.at("when"));
    rule.when_uses_item = entry.at("when_uses_item").get<bool>();
    if (entry.contains("for_each")) rule.for_each = fact_from_cache(entry.at("for_each"));
    rule.item_name = entry.at("item_name").get<std::string>();
    const Scope scope = item_scope(rule);  // the scope rule_fields.cpp parses the templates in
    if (entry.contains("subject")) rule.subject = template_from_cache(entry.at("subject"), scope);
    rule.check = expr_from_cache(entry.at("check"));
    for (const auto& [kind, text] : entry.at("messages").items()) rule.messages[kind] = template_from_cache(text, scope);
    rule.why = entry.at("why").get<std::string>();
    for (const Json& fix : entry.at("fixes")) {
      rule.fixes.push_back(RuleFix{template_from_cache(fix.at("text"), scope), fix.at("action")});
    }
    rule.refs = entry.at("refs").get<std::vector<std::string>>();
    rule.recognises = entry.at("recognises").get<std::vector<std::string>>();
    rule.file = path;
    rule.line = entry.at("line").get<int>();
    rule.column = entry.at("column").get<int>();
    rule.written = entry.at("written");
    return rule;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

RuleCache RuleCache::read(const std::string& dir) {
  RuleCache cache;
  auto bytes = read_input_file(dir + "/" + kRuleCacheName, kRuleCacheInput);
  if (!bytes) return cache;
  try {
    Json whole = Json::from_cbor(*bytes);
    if (whole.at("format").get<int>() != kFormat || whole.at("ptdoctor").get<std::string>() != config::kVersion) {
      return cache;
    }
    for (auto& [key, entry] : whole.at("files").items()) cache.entries_.emplace(key, std::move(entry));
  } catch (const std::exception&) {
    cache.entries_.clear();  // corrupt: parse every file as YAML
  }
  return cache;
}

std::optional<LoadedFile> RuleCache::find(const std::string& text, const std::string& path) const {
  if (entries_.empty()) return std::nullopt;
  auto it = entries_.find(content_key(text));
  if (it == entries_.end()) return std::nullopt;
  LoadedFile loaded;
  try {
    loaded.data_file = it->second.at("data_file").get<bool>();
    for (const Json& entry : it->second.at("rules")) {
      std::optional<Rule> rule = rule_from_cache(entry, path);
      if (!rule) return std::nullopt;
      loaded.rules.push_back(std::move(*rule));
    }
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return loaded;
}

Result<std::string> compile_rule_cache(const std::string& dir) {
  std::error_code ec;
  const std::vector<std::string> files = rule_files_in(dir, ec);
  if (ec) return make_error(ErrorKind::kIo, dir + ": cannot list the rules directory: " + ec.message());
  Json entries = Json::object();
  for (const std::string& file : files) {
    auto text = read_input_file(file, kRulesFileInput);
    if (!text) return text.error();
    LoadedFile loaded = load_rule_text(*text, file, true);
    if (!loaded.problems.empty()) return make_error(ErrorKind::kInvalidInput, loaded.problems.front());
    Json rules = Json::array();
    for (const Rule& rule : loaded.rules) rules.push_back(rule_to_cache(rule));
    entries[content_key(*text)] = {{"data_file", loaded.data_file}, {"rules", std::move(rules)}};
  }
  const Json whole = {{"format", kFormat}, {"ptdoctor", config::kVersion}, {"files", std::move(entries)}};
  const std::vector<std::uint8_t> cbor = Json::to_cbor(whole);
  return std::string(cbor.begin(), cbor.end());
}

}  // namespace ptdoctor::rules
