#pragma once
// The operator table: every operator's name, how many operands it takes, and whether it yields a condition
// (true/false/unknown) or a value. The parser validates against it and the docs list the same names.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/expression.hpp"

namespace ptdoctor::rules {

enum class Shape {
  kFactOperand,   // exists/empty/length: one fact reference
  kPair,          // [a, b]
  kConditions,    // all/any: a non-empty list of conditions
  kCondition,     // not: one condition
  kQuantifier,    // some/every: {in: list, as: name, check: condition}
};

// What a literal operand of a kPair operator may be.
enum class Operand { kAny, kNumber, kVersion, kList, kListOrString, kRegex };

struct OperatorInfo {
  std::string_view name;
  Op op;
  Shape shape;
  bool condition;   // false only for `length`, which yields a number
  Operand left = Operand::kAny;
  Operand right = Operand::kAny;
};

std::optional<OperatorInfo> find_operator(std::string_view name);
const OperatorInfo& operator_info(Op op);
// "exists, empty, ..." for error messages.
std::string operator_names();

}  // namespace ptdoctor::rules
