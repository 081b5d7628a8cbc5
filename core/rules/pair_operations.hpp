#pragma once
// The two-operand operators (equals, in, contains, gt..le, version_*, matches) on known values. Wrong types are
// errors naming the operand, never a silent false: a rule comparing a string numerically is a bug to report.
#include <string>

#include "rules/evaluator.hpp"
#include "rules/expression.hpp"

namespace ptdoctor::rules {

struct Side {
  const Json& value;
  std::string label;  // "$cpu.family" or the literal as written, for messages
};

Outcome apply_pair(const Expr& expr, const Side& left, const Side& right);

// "'abc' (a string)", "42 (a number)": how a value reads in an error message.
std::string describe_value(const Json& value);

}  // namespace ptdoctor::rules
