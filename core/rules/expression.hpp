#pragma once
// The parsed form of a rule expression (`check:`, `when:`): literals, fact references and operators.
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "ptdoctor/json.hpp"

namespace ptdoctor::rules {

enum class Op {
  kExists, kEmpty, kLength,
  kEquals, kNotEquals, kIn, kContains,
  kGt, kGe, kLt, kLe,
  kVersionGt, kVersionGe, kVersionLt, kVersionLe, kVersionEq,
  kMatches,
  kAll, kAny, kNot, kSome, kEvery,
};

// "$cpu.vmx" -> path "cpu.vmx", parts {"cpu","vmx"}. The first part may name a bound item ("item", an `as:`
// name or a some/every variable) instead of a fact namespace; bindings shadow namespaces of the same name.
struct FactRef {
  std::string path;
  std::vector<std::string> parts;
};

struct Expr {
  enum class Kind { kLiteral, kFact, kOp };
  Kind kind = Kind::kLiteral;
  Json literal;                              // kLiteral
  FactRef fact;                              // kFact
  Op op = Op::kExists;                       // kOp
  std::string name;                          // kOp: the operator as written ("version_ge")
  std::vector<Expr> args;                    // kOp operands; some/every: {list, check}
  std::string variable;                      // some/every: the `as:` name
  std::shared_ptr<const std::regex> regex;   // the pattern operand of matches: compiled at load
  int line = 0;                              // 1-based, for messages
  int column = 0;
};

}  // namespace ptdoctor::rules
