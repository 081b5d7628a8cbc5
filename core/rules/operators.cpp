#include "rules/operators.hpp"

#include <array>

namespace ptdoctor::rules {
namespace {

const std::array kOperators = {
    OperatorInfo{"exists", Op::kExists, Shape::kFactOperand, true},
    OperatorInfo{"empty", Op::kEmpty, Shape::kFactOperand, true},
    OperatorInfo{"length", Op::kLength, Shape::kFactOperand, false},
    OperatorInfo{"equals", Op::kEquals, Shape::kPair, true},
    OperatorInfo{"not_equals", Op::kNotEquals, Shape::kPair, true},
    OperatorInfo{"in", Op::kIn, Shape::kPair, true, Operand::kAny, Operand::kList},
    OperatorInfo{"contains", Op::kContains, Shape::kPair, true, Operand::kListOrString, Operand::kAny},
    OperatorInfo{"gt", Op::kGt, Shape::kPair, true, Operand::kNumber, Operand::kNumber},
    OperatorInfo{"ge", Op::kGe, Shape::kPair, true, Operand::kNumber, Operand::kNumber},
    OperatorInfo{"lt", Op::kLt, Shape::kPair, true, Operand::kNumber, Operand::kNumber},
    OperatorInfo{"le", Op::kLe, Shape::kPair, true, Operand::kNumber, Operand::kNumber},
    OperatorInfo{"version_gt", Op::kVersionGt, Shape::kPair, true, Operand::kVersion, Operand::kVersion},
    OperatorInfo{"version_ge", Op::kVersionGe, Shape::kPair, true, Operand::kVersion, Operand::kVersion},
    OperatorInfo{"version_lt", Op::kVersionLt, Shape::kPair, true, Operand::kVersion, Operand::kVersion},
    OperatorInfo{"version_le", Op::kVersionLe, Shape::kPair, true, Operand::kVersion, Operand::kVersion},
    OperatorInfo{"version_eq", Op::kVersionEq, Shape::kPair, true, Operand::kVersion, Operand::kVersion},
    OperatorInfo{"matches", Op::kMatches, Shape::kPair, true, Operand::kAny, Operand::kRegex},
    OperatorInfo{"all", Op::kAll, Shape::kConditions, true},
    OperatorInfo{"any", Op::kAny, Shape::kConditions, true},
    OperatorInfo{"not", Op::kNot, Shape::kCondition, true},
    OperatorInfo{"some", Op::kSome, Shape::kQuantifier, true},
    OperatorInfo{"every", Op::kEvery, Shape::kQuantifier, true},
};

}  // namespace

std::optional<OperatorInfo> find_operator(std::string_view name) {
  for (const OperatorInfo& info : kOperators) {
    if (info.name == name) return info;
  }
  return std::nullopt;
}

const OperatorInfo& operator_info(Op op) {
  for (const OperatorInfo& info : kOperators) {
    if (info.op == op) return info;
  }
  return kOperators.front();
}

std::string operator_names() {
  std::string names;
  for (const OperatorInfo& info : kOperators) names += (names.empty() ? "" : ", ") + std::string(info.name);
  return names;
}

}  // namespace ptdoctor::rules
