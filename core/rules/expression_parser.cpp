#include "rules/expression_parser.hpp"

#include <set>

#include "util/regex_guard.hpp"

namespace ptdoctor::rules {
namespace {

bool is_fact_text(const std::string& text) { return text.size() > 1 && text[0] == '$' && text[1] != '$'; }

// `$$` escapes a literal leading `$`.
std::string unescape(const std::string& text) { return text.rfind("$$", 0) == 0 ? text.substr(1) : text; }

std::string describe_json(const Json& value) {
  if (value.is_string()) return "'" + value.get<std::string>() + "' (a string)";
  if (value.is_boolean()) return value.dump() + " (a boolean)";
  if (value.is_null()) return "null";
  if (value.is_array()) return "a list";
  if (value.is_object()) return "a map";
  return value.dump() + " (a number)";
}

// Literal strings inside a literal list that look like fact references would silently be compared as text.
bool has_fact_text(const Json& value) {
  if (value.is_string()) return is_fact_text(value.get<std::string>());
  if (value.is_array() || value.is_object()) {
    for (const Json& element : value) {
      if (has_fact_text(element)) return true;
    }
  }
  return false;
}

std::optional<std::string> literal_problem(const Json& value, Operand expected, std::string_view op) {
  std::string name(op);
  switch (expected) {
    case Operand::kAny: return std::nullopt;
    case Operand::kNumber:
      if (value.is_number()) return std::nullopt;
      return name + " compares numbers, but this operand is " + describe_json(value);
    case Operand::kVersion:
      if (value.is_string() || value.is_number_integer()) return std::nullopt;
      if (value.is_number_float()) {
        return name + " compares versions: write this one as a quoted string (\"" + value.dump() +
               "\" as a float would read 4.10 as 4.1)";
      }
      return name + " compares versions, but this operand is " + describe_json(value);
    case Operand::kList:
      if (value.is_array()) return std::nullopt;
      return name + " needs a list (or a fact reference to one) here, not " + describe_json(value);
    case Operand::kListOrString:
      if (value.is_array() || value.is_string()) return std::nullopt;
      return name + " needs a list or a string (or a fact reference) here, not " + describe_json(value);
    case Operand::kRegex: return std::nullopt;  // checked by the caller, which compiles it
  }
  return std::nullopt;
}

}  // namespace

void ExpressionParser::problem(const YAML::Node& node, const std::string& message) {
  problems_.push_back(where(file_, node.Mark()) + ": " + message);
}

Expr ExpressionParser::located(const YAML::Node& node) const {
  Expr expr;
  expr.line = node.Mark().line + 1;
  expr.column = node.Mark().column + 1;
  return expr;
}

bool ExpressionParser::enter(const YAML::Node& node, int depth) {
  if (depth > kMaxDepth) {
    problem(node, "expression nested more than " + std::to_string(kMaxDepth) + " levels deep; simplify it");
    return false;
  }
  if (!budget_.spend()) {
    problem(node, "expression has more than " + std::to_string(kMaxNodes) +
                      " nodes (counting every use of an alias); simplify it");
    return false;
  }
  return true;
}

std::optional<FactRef> ExpressionParser::fact_reference(const YAML::Node& node, const Scope& scope,
                                                       const std::string& what) {
  if (!node.IsScalar() || !is_fact_text(node.Scalar())) {
    problem(node, what + " takes a fact reference such as $gpu.candidates");
    return std::nullopt;
  }
  FactRef ref;
  if (auto bad = parse_fact_path(node.Scalar().substr(1), scope, ref)) {
    problem(node, *bad);
    return std::nullopt;
  }
  return ref;
}

std::optional<Expr> ExpressionParser::parse_condition(const YAML::Node& node, const Scope& scope, int depth) {
  if (!enter(node, depth)) return std::nullopt;
  if (node.IsMap()) {
    auto expr = parse_operator(node, scope, depth);
    if (expr && !operator_info(expr->op).condition) {
      problem(node, expr->name + " yields a number, not a condition: compare it, e.g. gt: [{" + expr->name +
                        ": $pci.devices}, 0]");
      return std::nullopt;
    }
    return expr;
  }
  if (node.IsScalar()) {
    Expr expr = located(node);
    if (is_fact_text(node.Scalar())) {
      expr.kind = Expr::Kind::kFact;
      if (auto bad = parse_fact_path(node.Scalar().substr(1), scope, expr.fact)) {
        problem(node, *bad);
        return std::nullopt;
      }
      return expr;
    }
    Json value = scalar_to_json(node);
    if (value.is_boolean()) {
      expr.literal = value;
      return expr;
    }
    problem(node, "expected a condition (an operator such as equals: [a, b], a boolean fact such as $cpu.vmx, "
                  "true or false), found " + describe_json(value));
    return std::nullopt;
  }
  if (node.IsSequence()) {
    problem(node, "a list is not a condition: wrap the conditions in all: [...] or any: [...]");
  } else {
    problem(node, "missing condition");
  }
  return std::nullopt;
}

std::optional<Expr> ExpressionParser::parse_operand(const YAML::Node& node, const Scope& scope, int depth,
                                                    const OperatorInfo& info, Operand expected) {
  if (!enter(node, depth)) return std::nullopt;
  std::string op(info.name);
  if (node.IsMap()) {
    auto expr = parse_operator(node, scope, depth);
    if (!expr) return std::nullopt;
    bool fits = expected == Operand::kAny || (expected == Operand::kNumber && expr->op == Op::kLength);
    if (!fits) {
      problem(node, op + " cannot take the result of " + expr->name + " as this operand");
      return std::nullopt;
    }
    return expr;
  }
  Expr expr = located(node);
  if (node.IsScalar() && is_fact_text(node.Scalar())) {
    if (expected == Operand::kRegex) {
      problem(node, op + ": the pattern must be a literal string (it is compiled when the rules load)");
      return std::nullopt;
    }
    expr.kind = Expr::Kind::kFact;
    if (auto bad = parse_fact_path(node.Scalar().substr(1), scope, expr.fact)) {
      problem(node, *bad);
      return std::nullopt;
    }
    return expr;
  }
  if (node.IsScalar()) {
    expr.literal = scalar_to_json(node);
    if (expr.literal.is_string()) expr.literal = unescape(expr.literal.get<std::string>());
  } else if (node.IsSequence()) {
    std::string why;
    if (!yaml_to_json(node, expr.literal, budget_, why, depth)) {
      problem(node, "literal list " + why);
      return std::nullopt;
    }
    if (has_fact_text(expr.literal)) {
      problem(node, "a literal list cannot hold fact references; use any: [...] of equals, or write $$ for a "
                    "literal $");
      return std::nullopt;
    }
  }
  if (auto bad = literal_problem(expr.literal, expected, op)) {
    problem(node, *bad);
    return std::nullopt;
  }
  if (expected == Operand::kRegex) {
    if (!expr.literal.is_string()) {
      problem(node, op + ": the pattern must be a string, not " + describe_json(expr.literal));
      return std::nullopt;
    }
    auto compiled = std::make_shared<std::regex>();
    if (auto bad = compile_pattern(expr.literal.get<std::string>(), false, *compiled)) {
      problem(node, op + ": " + *bad);
      return std::nullopt;
    }
    expr.regex = std::move(compiled);
  }
  return expr;
}

std::optional<Expr> ExpressionParser::parse_operator(const YAML::Node& node, const Scope& scope, int depth) {
  if (node.size() != 1) {
    std::string keys;
    for (const auto& pair : node) keys += (keys.empty() ? "" : ", ") + pair.first.Scalar();
    problem(node, "an operator is a map with one key, found " + std::to_string(node.size()) + " (" + keys +
                      "); combine several conditions with all: [...] or any: [...]");
    return std::nullopt;
  }
  const auto pair = *node.begin();
  const YAML::Node& key = pair.first;
  const YAML::Node& operand = pair.second;
  auto info = key.IsScalar() ? find_operator(key.Scalar()) : std::nullopt;
  if (!info) {
    problem(key, "unknown operator '" + (key.IsScalar() ? key.Scalar() : std::string("?")) +
                     "'; known operators: " + operator_names());
    return std::nullopt;
  }
  Expr expr = located(key);
  expr.kind = Expr::Kind::kOp;
  expr.op = info->op;
  expr.name = std::string(info->name);
  switch (info->shape) {
    case Shape::kFactOperand: {
      auto ref = fact_reference(operand, scope, expr.name);
      if (!ref) return std::nullopt;
      Expr fact = located(operand);
      fact.kind = Expr::Kind::kFact;
      fact.fact = std::move(*ref);
      expr.args.push_back(std::move(fact));
      return expr;
    }
    case Shape::kPair: {
      if (!operand.IsSequence() || operand.size() != 2) {
        problem(operand, expr.name + " takes a list of two operands [a, b], found " +
                             (operand.IsSequence() ? std::to_string(operand.size()) + " operands" : "no list"));
        return std::nullopt;
      }
      auto left = parse_operand(operand[0], scope, depth + 1, *info, info->left);
      auto right = parse_operand(operand[1], scope, depth + 1, *info, info->right);
      if (!left || !right) return std::nullopt;
      expr.args.push_back(std::move(*left));
      expr.args.push_back(std::move(*right));
      return expr;
    }
    case Shape::kConditions: {
      if (!operand.IsSequence() || operand.size() == 0) {
        problem(operand, expr.name + " takes a non-empty list of conditions");
        return std::nullopt;
      }
      bool ok = true;
      for (const YAML::Node& element : operand) {
        auto condition = parse_condition(element, scope, depth + 1);
        if (condition) expr.args.push_back(std::move(*condition));
        ok = ok && condition.has_value();
      }
      return ok ? std::optional<Expr>(std::move(expr)) : std::nullopt;
    }
    case Shape::kCondition: {
      if (operand.IsSequence()) {
        problem(operand, "not takes one condition, not a list; write not: {any: [...]} to negate several");
        return std::nullopt;
      }
      auto condition = parse_condition(operand, scope, depth + 1);
      if (!condition) return std::nullopt;
      expr.args.push_back(std::move(*condition));
      return expr;
    }
    case Shape::kQuantifier: return parse_quantifier(operand, scope, depth, std::move(expr));
  }
  return std::nullopt;
}

std::optional<Expr> ExpressionParser::parse_quantifier(const YAML::Node& node, const Scope& scope, int depth,
                                                       Expr expr) {
  if (!node.IsMap()) {
    problem(node, expr.name + " takes a map {in: $list, as: name, check: condition}");
    return std::nullopt;
  }
  static const std::set<std::string> kKeys = {"in", "as", "check"};
  bool ok = true;
  for (const auto& pair : node) {
    if (!kKeys.count(pair.first.Scalar())) {
      problem(pair.first, "unknown key '" + pair.first.Scalar() + "' in " + expr.name + " (allowed: in, as, check)");
      ok = false;
    }
  }
  if (!node["in"] || !node["check"]) {
    problem(node, expr.name + " needs both in: (the list) and check: (the condition for each element)");
    return std::nullopt;
  }
  expr.variable = "item";
  if (const YAML::Node as = node["as"]) {
    FactRef name;
    if (!as.IsScalar() || as.Scalar().find('.') != std::string::npos || parse_fact_path(as.Scalar(), {as.Scalar()}, name)) {
      problem(as, expr.name + ": as: must be a plain name such as dev");
      return std::nullopt;
    }
    expr.variable = as.Scalar();
  }
  OperatorInfo list_info = *find_operator(expr.name);
  auto list = parse_operand(node["in"], scope, depth + 1, list_info, Operand::kList);
  Scope inner = scope;
  inner.push_back(expr.variable);
  auto check = parse_condition(node["check"], inner, depth + 1);
  if (!list || !check || !ok) return std::nullopt;
  expr.args.push_back(std::move(*list));
  expr.args.push_back(std::move(*check));
  return expr;
}

}  // namespace ptdoctor::rules
