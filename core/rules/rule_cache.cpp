#include "rules/rule_cache.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "ptdoctor/config.hpp"
#include "rules/cache_bytes.hpp"
#include "rules/operators.hpp"
#include "util/regex_guard.hpp"
#include "rules/rule_fields.hpp"
#include "util/input_file.hpp"

namespace ptdoctor::rules {
namespace {

// Bump when the layout changes: a cache of another format is ignored, never misread. (1 and 2 were CBOR.)
constexpr std::uint32_t kFormat = 3;
constexpr std::string_view kMagic = "ptdrules";
// The cache of the shipped rules is about 100 KiB; anything far larger is not ours.
constexpr InputKind kRuleCacheInput{"compiled rule cache", 16u << 20};

// The hash keying a file's bytes and checking the payload (why this one: util/byte_codec.hpp).
std::uint64_t hash_of(std::string_view bytes) { return content_hash(bytes); }

void write_expr(ByteWriter& out, const Expr& expr) {
  out.u8(static_cast<std::uint8_t>(expr.kind));
  out.number(expr.line);
  out.number(expr.column);
  switch (expr.kind) {
    case Expr::Kind::kLiteral:
      out.json(expr.literal);
      out.u8(expr.regex ? 1 : 0);  // the pattern of `matches`, compiled at load: compiled again when read back
      break;
    case Expr::Kind::kFact: write_fact(out, expr.fact); break;
    case Expr::Kind::kOp:
      out.text(expr.name);  // the operator by name: read back through the operator table
      out.text(expr.variable);
      out.varint(expr.args.size());
      for (const Expr& arg : expr.args) write_expr(out, arg);
      break;
  }
}

// The operands the expression parser gives each shape (expression_parser.cpp parse_operator), which the evaluator
// relies on: an entry that decodes but breaks them is refused like a corrupt one.
bool operands_fit(const Expr& expr, Shape shape) {
  switch (shape) {
    case Shape::kFactOperand: return expr.args.size() == 1 && expr.args[0].kind == Expr::Kind::kFact;
    case Shape::kPair:
      return expr.args.size() == 2 && (expr.op != Op::kMatches || expr.args[1].regex != nullptr);
    case Shape::kConditions: return !expr.args.empty();
    case Shape::kCondition: return expr.args.size() == 1;
    case Shape::kQuantifier: return expr.args.size() == 2 && !expr.variable.empty();
  }
  return false;
}

bool read_expr(ByteReader& in, Expr& expr, int depth) {
  if (depth > ByteReader::kMaxDepth) return in.fail();
  const std::uint8_t kind = in.u8();
  expr.line = in.small_int();
  expr.column = in.small_int();
  switch (kind) {
    case static_cast<std::uint8_t>(Expr::Kind::kLiteral):
      expr.kind = Expr::Kind::kLiteral;
      if (!in.json(expr.literal)) return false;
      if (in.flag()) {
        auto compiled = std::make_shared<std::regex>();
        if (!expr.literal.is_string() || compile_pattern(expr.literal.get<std::string>(), false, *compiled)) {
          return in.fail();
        }
        expr.regex = std::move(compiled);
      }
      return in.ok();
    case static_cast<std::uint8_t>(Expr::Kind::kFact):
      expr.kind = Expr::Kind::kFact;
      return read_fact(in, expr.fact);
    case static_cast<std::uint8_t>(Expr::Kind::kOp): {
      expr.kind = Expr::Kind::kOp;
      expr.name = in.text();
      const std::optional<OperatorInfo> info = find_operator(expr.name);
      if (!info) return in.fail();
      expr.op = info->op;
      expr.variable = in.text();
      const std::size_t args = in.count();
      reserve_for(expr.args, args);
      for (std::size_t i = 0; i < args; ++i) {
        if (!read_expr(in, expr.args.emplace_back(), depth + 1)) return false;
      }
      return operands_fit(expr, info->shape) || in.fail();
    }
    default: return in.fail();
  }
}

void write_texts(ByteWriter& out, const std::vector<std::string>& texts) {
  out.varint(texts.size());
  for (const std::string& text : texts) out.text(text);
}

void read_texts(ByteReader& in, std::vector<std::string>& texts) {
  const std::size_t size = in.count();
  reserve_for(texts, size);
  for (std::size_t i = 0; i < size && in.ok(); ++i) texts.push_back(in.text());
}

void write_rule(ByteWriter& out, const Rule& rule) {
  out.text(rule.id);
  out.text(rule.title);
  out.text(to_string(rule.severity));
  out.text(rule.follows);
  out.number(rule.follows_line);
  out.u8(rule.when ? 1 : 0);
  if (rule.when) write_expr(out, *rule.when);
  out.u8(rule.when_uses_item ? 1 : 0);
  out.u8(rule.for_each ? 1 : 0);
  if (rule.for_each) write_fact(out, *rule.for_each);
  out.text(rule.item_name);
  out.u8(rule.subject ? 1 : 0);
  if (rule.subject) rule.subject->write(out);
  write_expr(out, rule.check);
  out.varint(rule.messages.size());
  for (const auto& [kind, message] : rule.messages) {
    out.text(kind);
    message.write(out);
  }
  out.text(rule.why);
  out.varint(rule.fixes.size());
  for (const RuleFix& fix : rule.fixes) {
    fix.text.write(out);
    out.json(fix.action);
  }
  write_texts(out, rule.refs);
  write_texts(out, rule.recognises);
  out.number(rule.line);
  out.number(rule.column);
  out.json(rule.written);
}

// The rule write_rule wrote, or false (the reader failed) for anything else.
bool read_rule(ByteReader& in, Rule& rule, const std::string& path) {
  rule.id = in.text();
  rule.title = in.text();
  const std::optional<Severity> severity = severity_named(std::string(in.text_view()));
  if (!severity) return in.fail();
  rule.severity = *severity;
  rule.follows = in.text();
  rule.follows_line = in.small_int();
  if (in.flag() && !read_expr(in, rule.when.emplace(), 0)) return false;
  rule.when_uses_item = in.flag();
  if (in.flag() && !read_fact(in, rule.for_each.emplace())) return false;
  rule.item_name = in.text();
  if (in.flag() && !MessageTemplate::read(in, rule.subject.emplace())) return false;
  if (!read_expr(in, rule.check, 0)) return false;
  const std::size_t messages = in.count();
  for (std::size_t i = 0; i < messages && in.ok(); ++i) {
    std::string kind = in.text();
    MessageTemplate::read(in, rule.messages[std::move(kind)]);
  }
  rule.why = in.text();
  const std::size_t fixes = in.count();
  reserve_for(rule.fixes, fixes);
  for (std::size_t i = 0; i < fixes; ++i) {
    RuleFix& fix = rule.fixes.emplace_back();
    if (!MessageTemplate::read(in, fix.text) || !in.json(fix.action)) return false;
  }
  read_texts(in, rule.refs);
  read_texts(in, rule.recognises);
  rule.file = path;
  rule.line = in.small_int();
  rule.column = in.small_int();
  in.json(rule.written);
  return in.ok();
}

void write_file(ByteWriter& out, const LoadedFile& loaded) {
  out.u8(loaded.data_file ? 1 : 0);
  out.varint(loaded.rules.size());
  for (const Rule& rule : loaded.rules) write_rule(out, rule);
}

std::optional<LoadedFile> read_file(std::string_view bytes, const std::string& path) {
  ByteReader in(bytes);
  LoadedFile loaded;
  loaded.data_file = in.flag();
  const std::size_t rules = in.count();
  reserve_for(loaded.rules, rules);
  for (std::size_t i = 0; i < rules; ++i) {
    if (!read_rule(in, loaded.rules.emplace_back(), path)) return std::nullopt;
  }
  if (!in.at_end()) return std::nullopt;
  return loaded;
}

}  // namespace

std::string encode_rule(const Rule& rule) {
  ByteWriter out;
  write_rule(out, rule);
  return std::move(out.bytes());
}

std::optional<LoadedFile> decode_rule_entry(std::string_view entry, const std::string& path) {
  return read_file(entry, path);
}

std::string seal_rule_cache(std::string_view payload) { return seal_bytes(kMagic, kFormat, payload); }

RuleCache RuleCache::read(const std::string& dir) {
  auto bytes = read_input_file(dir + "/" + kRuleCacheName, kRuleCacheInput);
  if (!bytes) return RuleCache();
  return parse(std::move(*bytes));
}

RuleCache RuleCache::parse(std::string bytes) {
  RuleCache cache;
  cache.bytes_ = std::move(bytes);
  const std::optional<std::string_view> payload = sealed_payload(cache.bytes_, kMagic, kFormat);
  if (!payload) return RuleCache();

  ByteReader in(*payload);
  if (in.text_view() != config::kVersion) return RuleCache();
  const std::size_t files = in.count();
  cache.entries_.resize(files);
  std::vector<std::uint64_t> lengths(files);
  for (std::size_t i = 0; i < files; ++i) {
    cache.entries_[i].length = in.varint();
    cache.entries_[i].hash = in.u64();
    lengths[i] = in.varint();
  }
  for (std::size_t i = 0; i < files; ++i) {
    const std::string_view entry = in.view(static_cast<std::size_t>(lengths[i]));
    if (!in.ok()) return RuleCache();
    cache.entries_[i].offset = static_cast<std::size_t>(entry.data() - cache.bytes_.data());
    cache.entries_[i].size = entry.size();
  }
  if (!in.at_end()) return RuleCache();
  return cache;
}

std::optional<LoadedFile> RuleCache::find(const std::string& text, const std::string& path) const {
  if (entries_.empty()) return std::nullopt;
  const std::uint64_t hash = hash_of(text);
  for (const Entry& entry : entries_) {
    if (entry.length == text.size() && entry.hash == hash) {
      return read_file(std::string_view(bytes_).substr(entry.offset, entry.size), path);
    }
  }
  return std::nullopt;
}

Result<std::string> write_rule_cache(const std::vector<CachedFile>& files) {
  std::vector<std::string> entries;
  for (const CachedFile& file : files) {
    ByteWriter entry;
    try {
      write_file(entry, *file.loaded);
    } catch (const std::invalid_argument& error) {
      return make_error(ErrorKind::kInvalidInput, std::string(file.path) + ": " + error.what());
    }
    // What is written must read back as the same bytes (templates, expressions and values the form holds).
    std::optional<LoadedFile> back = read_file(entry.bytes(), "");
    ByteWriter again;
    if (back) write_file(again, *back);
    if (!back || again.bytes() != entry.bytes()) {
      return make_error(ErrorKind::kInvalidInput,
                        std::string(file.path) + ": the rule cache does not read these rules back as written");
    }
    entries.push_back(std::move(entry.bytes()));
  }
  ByteWriter payload;
  payload.text(config::kVersion);
  payload.varint(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    payload.varint(files[i].text.size());
    payload.u64(hash_of(files[i].text));
    payload.varint(entries[i].size());
  }
  for (const std::string& entry : entries) payload.bytes().append(entry);
  return seal_rule_cache(payload.bytes());
}

Result<std::string> compile_rule_cache(const std::string& dir) {
  std::error_code ec;
  const std::vector<std::string> names = rule_files_in(dir, ec);
  if (ec) return make_error(ErrorKind::kIo, dir + ": cannot list the rules directory: " + ec.message());
  std::vector<std::string> texts;
  std::vector<LoadedFile> loaded;
  for (const std::string& name : names) {
    auto text = read_input_file(name, kRulesFileInput);
    if (!text) return text.error();
    loaded.push_back(load_rule_text(*text, name, true));
    if (!loaded.back().problems.empty()) return make_error(ErrorKind::kInvalidInput, loaded.back().problems.front());
    texts.push_back(std::move(*text));
  }
  std::vector<CachedFile> files;
  for (std::size_t i = 0; i < names.size(); ++i) files.push_back({names[i], texts[i], &loaded[i]});
  return write_rule_cache(files);
}

}  // namespace ptdoctor::rules
