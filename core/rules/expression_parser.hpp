#pragma once
// Turns the YAML of `check:` / `when:` into an Expr, validating as it goes: unknown operators, operand counts
// and literal types, regexes (compiled here, once), fact paths and bound names. Every problem is recorded as
// "file:line:column: what; what to do" and parsing continues, so one load reports all mistakes.
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "rules/expression.hpp"
#include "rules/fact_path.hpp"
#include "rules/operators.hpp"
#include "rules/yaml_util.hpp"

namespace ptdoctor::rules {

class ExpressionParser {
 public:
  ExpressionParser(const std::string& file, std::vector<std::string>& problems, NodeBudget& budget)
      : file_(file), problems_(problems), budget_(budget) {}

  // A condition: an operator yielding true/false, a (boolean) fact reference, or a literal true/false.
  std::optional<Expr> condition(const YAML::Node& node, const Scope& scope) { return parse_condition(node, scope, 0); }
  // A bare fact reference ("$gpu.candidates"), as `for_each:` takes.
  std::optional<FactRef> fact_reference(const YAML::Node& node, const Scope& scope, const std::string& what);

 private:
  std::optional<Expr> parse_condition(const YAML::Node& node, const Scope& scope, int depth);
  std::optional<Expr> parse_operand(const YAML::Node& node, const Scope& scope, int depth, const OperatorInfo& info,
                                    Operand expected);
  std::optional<Expr> parse_operator(const YAML::Node& node, const Scope& scope, int depth);
  std::optional<Expr> parse_quantifier(const YAML::Node& node, const Scope& scope, int depth, Expr expr);
  bool enter(const YAML::Node& node, int depth);
  void problem(const YAML::Node& node, const std::string& message);
  Expr located(const YAML::Node& node) const;

  const std::string& file_;
  std::vector<std::string>& problems_;
  NodeBudget& budget_;
};

}  // namespace ptdoctor::rules
