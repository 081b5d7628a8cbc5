#include "rules/evaluator.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string_view>
#include <utility>

#include "rules/pair_operations.hpp"
#include "rules/yaml_util.hpp"

namespace ptdoctor::rules {
namespace {

void add_reasons(std::vector<std::string>& into, const std::vector<std::string>& reasons) {
  for (const std::string& reason : reasons) {
    if (std::find(into.begin(), into.end(), reason) == into.end()) into.push_back(reason);
  }
}

// Walks the rest of a path inside a value that is not a fact (an element of a literal list).
const Json* walk(const Json* node, const std::vector<std::string>& parts, std::size_t from) {
  for (std::size_t i = from; node != nullptr && i < parts.size(); ++i) {
    if (node->is_object()) {
      auto it = node->find(parts[i]);
      node = it == node->end() ? nullptr : &*it;
    } else if (node->is_array()) {
      std::size_t index = 0;
      const std::string& part = parts[i];
      auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
      node = ec != std::errc() || end != part.data() + part.size() || index >= node->size() ? nullptr : &(*node)[index];
    } else {
      node = nullptr;
    }
  }
  return node;
}

// Three-valued combination shared by all/any and every/some. `deciding` is the value that settles the whole
// (true for any/some, false for all/every); errors come first so a broken operand is never hidden.
class Tally {
 public:
  explicit Tally(bool deciding) : deciding_(deciding) {}
  void add(const Outcome& outcome) {
    if (outcome.state == Outcome::State::kError) add_reasons(errors_, outcome.reasons);
    if (outcome.state == Outcome::State::kUnknown) add_reasons(unknowns_, outcome.reasons);
    if (outcome.known() && outcome.value().get<bool>() == deciding_) decided_ = true;
  }
  Outcome result() const {
    if (!errors_.empty()) return {Outcome::State::kError, nullptr, nullptr, errors_};
    if (decided_) return Outcome::of(deciding_);
    if (!unknowns_.empty()) return {Outcome::State::kUnknown, nullptr, nullptr, unknowns_};
    return Outcome::of(!deciding_);
  }

 private:
  bool deciding_;
  bool decided_ = false;
  std::vector<std::string> errors_, unknowns_;
};


// "fact PATH: REASON" (missing_reason's words) -> {PATH, REASON}; nullopt for any other reason.
std::optional<std::pair<std::string, std::string>> fact_and_reason(const std::string& reason) {
  constexpr std::string_view kFact = "fact ";
  if (!reason.starts_with(kFact)) return std::nullopt;
  std::size_t colon = reason.find(": ", kFact.size());
  if (colon == std::string::npos) return std::nullopt;
  return std::pair{reason.substr(kFact.size(), colon - kFact.size()), reason.substr(colon + 2)};
}

}  // namespace

// Facts that are unknown for the same reason share one mention: "facts xen.extra and xen.major_minor: xl info:
// unreadable version", not the reason once per fact (three facts of one short config space said it three times).
std::string Outcome::reason_text() const {
  struct Part {
    std::vector<std::string> paths;  // empty: `reason` is not about a fact, and is said as it is
    std::string reason;
  };
  std::vector<Part> parts;
  for (const std::string& reason : reasons) {
    auto parsed = fact_and_reason(reason);
    if (!parsed) {
      parts.push_back({{}, reason});
      continue;
    }
    auto same = std::find_if(parts.begin(), parts.end(), [&parsed](const Part& part) {
      return !part.paths.empty() && part.reason == parsed->second;
    });
    if (same != parts.end()) {
      same->paths.push_back(parsed->first);
    } else {
      parts.push_back({{parsed->first}, parsed->second});
    }
  }
  std::string text;
  for (const Part& part : parts) {
    std::string said = part.paths.empty() ? part.reason : part.paths.size() == 1 ? "fact " : "facts ";
    for (std::size_t i = 0; i < part.paths.size(); ++i) {
      said += (i == 0 ? "" : i + 1 == part.paths.size() ? " and " : ", ") + part.paths[i];
    }
    if (!part.paths.empty()) said += ": " + part.reason;
    text += (text.empty() ? "" : "; ") + said;
  }
  return text;
}

std::string Evaluator::absolute_path(const FactRef& ref) const {
  for (auto it = scope_.rbegin(); it != scope_.rend(); ++it) {
    if (it->name != ref.parts.front()) continue;
    if (it->path.empty()) return ref.path;
    std::string path = it->path;
    for (std::size_t i = 1; i < ref.parts.size(); ++i) {
      path += '.';
      path += ref.parts[i];
    }
    return path;
  }
  return ref.path;
}

ResultFacts result_facts(const Evidence& seen, std::shared_ptr<const Json> tree) {
  std::vector<ResultFacts::Entry> entries;
  entries.reserve(seen.size());
  for (const auto& [path, value] : seen) entries.push_back({path, value});
  return ResultFacts(std::move(entries), std::move(tree));
}

Evaluator::Resolved Evaluator::resolve(const FactRef& ref, bool record) {
  for (auto it = scope_.rbegin(); it != scope_.rend(); ++it) {
    if (it->name != ref.parts.front()) continue;
    if (it->path.empty()) return {walk(it->value, ref.parts, 1), ""};
    // The bound value is the fact at its path, so the rest of the path is walked from it rather than from the root
    // (the same node: `walk` reads indices and keys as FactStore::find does).
    std::string path = absolute_path(ref);
    const Json* value = walk(it->value, ref.parts, 1);
    if (record) seen_[path] = value;
    return {value, path};
  }
  const Json* value = facts_.find(ref.path);
  if (record) seen_[ref.path] = value;
  return {value, ref.path};
}

std::string Evaluator::missing_reason(const FactRef& ref) const {
  std::string path = absolute_path(ref);
  if (auto reason = facts_.unknown_reason(path)) return "fact " + path + ": " + *reason;
  return "fact " + path + " was not collected";
}

const Json* Evaluator::lookup(const FactRef& ref) { return resolve(ref).value; }

const Json* Evaluator::lookup_list(const FactRef& ref, std::string& path) {
  bool recorded_before = seen_.contains(absolute_path(ref));
  // Recorded afterwards, and only when it is to be kept: a whole list copied into the evidence and dropped again
  // was most of the rules' time on a host of a thousand PCI functions (pci.devices copied per rule).
  Resolved resolved = resolve(ref, /*record=*/false);
  const bool whole_list = !recorded_before && resolved.value != nullptr && resolved.value->is_array() &&
                          !resolved.value->empty();
  if (!whole_list && !resolved.path.empty()) seen_[resolved.path] = resolved.value;
  path = resolved.path;
  return resolved.value;
}

Outcome Evaluator::fact_value(const FactRef& ref) {
  Resolved resolved = resolve(ref);
  if (resolved.value == nullptr || resolved.value->is_null()) return Outcome::unknown(missing_reason(ref));
  return Outcome::of_ref(*resolved.value);
}

Outcome Evaluator::condition(const Expr& expr) {
  Outcome outcome = value(expr);
  if (outcome.known() && !outcome.value().is_boolean()) {
    return Outcome::error(operand_label(expr) + " is " + describe_value(outcome.value()) +
                          ", but a bare fact used as a condition must be true or false; compare it with "
                          "equals, gt, ... instead");
  }
  return outcome;
}

Outcome Evaluator::value(const Expr& expr) {
  switch (expr.kind) {
    case Expr::Kind::kLiteral: return Outcome::of_ref(expr.literal);
    case Expr::Kind::kFact: return fact_value(expr.fact);
    case Expr::Kind::kOp: return apply(expr);
  }
  return Outcome::error("internal: unknown expression kind");
}

Outcome Evaluator::apply(const Expr& expr) {
  switch (expr.op) {
    case Op::kExists: {
      const FactRef& ref = expr.args.front().fact;
      Resolved resolved = resolve(ref);
      if (resolved.value != nullptr && !resolved.value->is_null()) return Outcome::of(true);
      if (!resolved.path.empty()) {
        if (auto reason = facts_.unknown_reason(resolved.path)) return Outcome::unknown("fact " + resolved.path + ": " + *reason);
      }
      return Outcome::of(false);
    }
    case Op::kEmpty:
    case Op::kLength: return size_of(expr);
    case Op::kAll:
    case Op::kAny:
    case Op::kNot: return combine(expr);
    case Op::kSome:
    case Op::kEvery: return quantify(expr);
    default: return pair(expr);
  }
}

Outcome Evaluator::size_of(const Expr& expr) {
  const Expr& operand = expr.args.front();
  Outcome outcome = fact_value(operand.fact);
  if (!outcome.known()) return outcome;
  const Json& value = outcome.value();
  if (!value.is_array() && !value.is_object() && !value.is_string()) {
    return Outcome::error(expr.name + ": " + operand_label(operand) + " is " + describe_value(value) +
                          ", not a list, map or string");
  }
  // Json::size() is 1 for a string: count its characters instead.
  std::size_t size = value.is_string() ? value.get_ref<const std::string&>().size() : value.size();
  if (expr.op == Op::kLength) return Outcome::of(size);
  return Outcome::of(size == 0);
}

Outcome Evaluator::pair(const Expr& expr) {
  Outcome left = value(expr.args[0]);
  Outcome right = value(expr.args[1]);
  // Errors first (a broken rule must be seen), then unknown: never decide on missing data.
  for (Outcome::State state : {Outcome::State::kError, Outcome::State::kUnknown}) {
    Outcome merged{state, nullptr, nullptr, {}};
    for (const Outcome* side : {&left, &right}) {
      if (side->state == state) add_reasons(merged.reasons, side->reasons);
    }
    if (!merged.reasons.empty()) return merged;
  }
  return apply_pair(expr, Side{left.value(), expr.args[0]}, Side{right.value(), expr.args[1]});
}

Outcome Evaluator::combine(const Expr& expr) {
  if (expr.op == Op::kNot) {
    Outcome inner = condition(expr.args.front());
    if (inner.known()) return Outcome::of(!inner.value().get<bool>());
    return inner;
  }
  // all: false if any false, else unknown if any unknown. any: true if any true, else unknown if any unknown.
  // Every operand is evaluated, so all facts looked at are recorded.
  Tally tally(expr.op == Op::kAny);
  for (const Expr& operand : expr.args) tally.add(condition(operand));
  return tally.result();
}

Outcome Evaluator::quantify(const Expr& expr) {
  const Expr& list_expr = expr.args[0];
  const Json* list = nullptr;
  std::string list_path;
  if (list_expr.kind == Expr::Kind::kFact) {
    list = lookup_list(list_expr.fact, list_path);
    if (list == nullptr || list->is_null()) return Outcome::unknown(missing_reason(list_expr.fact));
  } else {
    list = &list_expr.literal;
  }
  if (!list->is_array()) {
    return Outcome::error(expr.name + ": " + operand_label(list_expr) + " is " + describe_value(*list) + ", not a list");
  }
  // some is any over the elements, every is all.
  Tally tally(expr.op == Op::kSome);
  for (std::size_t i = 0; i < list->size(); ++i) {
    bind({expr.variable, &(*list)[i], list_path.empty() ? "" : list_path + "." + std::to_string(i)});
    tally.add(condition(expr.args[1]));
    unbind();
  }
  return tally.result();
}

}  // namespace ptdoctor::rules
