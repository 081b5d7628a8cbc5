#pragma once
// The two-operand operators (equals, in, contains, gt..le, version_*, matches) on known values. Wrong types are
// errors naming the operand, never a silent false: a rule comparing a string numerically is a bug to report.
#include <string>

#include "rules/evaluator.hpp"
#include "rules/expression.hpp"

namespace ptdoctor::rules {

// How an operand is named in messages: "$cpu.family", "version_ge (line 12)" or the literal as written.
std::string operand_label(const Expr& operand);

struct Side {
  const Json& value;
  const Expr& operand;  // named only when a message needs it: building every label cost a string per comparison
  std::string label() const { return operand_label(operand); }
};

Outcome apply_pair(const Expr& expr, const Side& left, const Side& right);

// "'abc' (a string)", "42 (a number)": how a value reads in an error message.
std::string describe_value(const Json& value);

}  // namespace ptdoctor::rules
