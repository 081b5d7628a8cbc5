#include "rules/pair_operations.hpp"

#include <algorithm>

#include "util/regex_guard.hpp"
#include "rules/version_compare.hpp"
#include "rules/yaml_util.hpp"

namespace ptdoctor::rules {
namespace {

Outcome type_error(const Expr& expr, const Side& operand, const std::string& expected) {
  return Outcome::error(expr.name + ": " + operand.label() + " is " + describe_value(operand.value) + ", not " +
                        expected);
}

// Numbers compared as long double: exact for every 64-bit integer on x86-64, and mixes ints with floats.
Outcome numeric(const Expr& expr, const Side& left, const Side& right) {
  for (const Side* operand : {&left, &right}) {
    if (!operand->value.is_number()) return type_error(expr, *operand, "a number");
  }
  auto as_number = [](const Json& value) -> long double {
    if (value.is_number_unsigned()) return static_cast<long double>(value.get<std::uint64_t>());
    if (value.is_number_integer()) return static_cast<long double>(value.get<std::int64_t>());
    return static_cast<long double>(value.get<double>());
  };
  long double a = as_number(left.value), b = as_number(right.value);
  switch (expr.op) {
    case Op::kGt: return Outcome::of(a > b);
    case Op::kGe: return Outcome::of(a >= b);
    case Op::kLt: return Outcome::of(a < b);
    default: return Outcome::of(a <= b);
  }
}

Outcome version(const Expr& expr, const Side& left, const Side& right) {
  std::string texts[2];
  const Side* operands[2] = {&left, &right};
  for (int i = 0; i < 2; ++i) {
    const Json& value = operands[i]->value;
    if (value.is_string() && !value.get_ref<const std::string&>().empty()) {
      texts[i] = value.get<std::string>();
    } else if (value.is_number_integer()) {
      texts[i] = value.dump();
    } else {
      return type_error(expr, *operands[i], "a version string such as \"4.17.5\"");
    }
  }
  int order = compare_versions(texts[0], texts[1]);
  switch (expr.op) {
    case Op::kVersionGt: return Outcome::of(order > 0);
    case Op::kVersionGe: return Outcome::of(order >= 0);
    case Op::kVersionLt: return Outcome::of(order < 0);
    case Op::kVersionLe: return Outcome::of(order <= 0);
    default: return Outcome::of(order == 0);
  }
}

Outcome contains(const Expr& expr, const Side& left, const Side& right) {
  const Json& haystack = left.value;
  if (haystack.is_array()) {
    return Outcome::of(std::find(haystack.begin(), haystack.end(), right.value) != haystack.end());
  }
  if (haystack.is_string() || haystack.is_object()) {
    if (!right.value.is_string()) return type_error(expr, right, "a string to look for in " + left.label());
    const std::string& needle = right.value.get_ref<const std::string&>();
    if (haystack.is_object()) return Outcome::of(haystack.contains(needle));
    return Outcome::of(haystack.get_ref<const std::string&>().find(needle) != std::string::npos);
  }
  return type_error(expr, left, "a list, map or string");
}

Outcome matches(const Expr& expr, const Side& left) {
  if (!left.value.is_string()) return type_error(expr, left, "a string");
  const std::string& text = left.value.get_ref<const std::string&>();
  if (text.size() > kMaxMatchLength) {
    return Outcome::error(expr.name + ": " + left.label() + " is " + std::to_string(text.size()) +
                          " characters long, more than the " + std::to_string(kMaxMatchLength) +
                          " a pattern is matched against");
  }
  auto found = bounded_search(text, *expr.args[1].regex);
  if (!found) return Outcome::error(expr.name + ": the regular expression engine gave up on " + left.label());
  return Outcome::of(*found);
}

}  // namespace

std::string operand_label(const Expr& operand) {
  if (operand.kind == Expr::Kind::kFact) return "$" + operand.fact.path;
  if (operand.kind == Expr::Kind::kOp) return operand.name + " (line " + std::to_string(operand.line) + ")";
  return compact_yaml(operand.literal);
}

std::string describe_value(const Json& value) {
  if (value.is_string()) {
    std::string text = value.get<std::string>();
    if (text.size() > 60) text = text.substr(0, 57) + "...";
    return "'" + text + "' (a string)";
  }
  if (value.is_boolean()) return value.dump() + " (a boolean)";
  if (value.is_null()) return "null";
  if (value.is_array()) return "a list of " + std::to_string(value.size());
  if (value.is_object()) return "a map";
  return value.dump() + " (a number)";
}

Outcome apply_pair(const Expr& expr, const Side& left, const Side& right) {
  switch (expr.op) {
    case Op::kEquals: return Outcome::of(left.value == right.value);
    case Op::kNotEquals: return Outcome::of(left.value != right.value);
    case Op::kIn:
      if (!right.value.is_array()) return type_error(expr, right, "a list");
      return Outcome::of(std::find(right.value.begin(), right.value.end(), left.value) != right.value.end());
    case Op::kContains: return contains(expr, left, right);
    case Op::kGt:
    case Op::kGe:
    case Op::kLt:
    case Op::kLe: return numeric(expr, left, right);
    case Op::kVersionGt:
    case Op::kVersionGe:
    case Op::kVersionLt:
    case Op::kVersionLe:
    case Op::kVersionEq: return version(expr, left, right);
    case Op::kMatches: return matches(expr, left);
    default: return Outcome::error("internal: " + expr.name + " is not a two-operand operator");
  }
}

}  // namespace ptdoctor::rules
