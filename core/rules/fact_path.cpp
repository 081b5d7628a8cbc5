#include "rules/fact_path.hpp"

#include <algorithm>

namespace ptdoctor::rules {
namespace {

bool valid_component(const std::string& part) {
  return !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

bool in_scope(const Scope& scope, const std::string& name) {
  return std::find(scope.begin(), scope.end(), name) != scope.end();
}

}  // namespace

std::optional<std::string> parse_fact_path(const std::string& text, const Scope& scope, FactRef& out) {
  // split_fact_path drops empty parts; a path with one must be rejected, so split by hand first.
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = text.find('.', start);
    parts.push_back(text.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  for (const std::string& part : parts) {
    if (!valid_component(part)) {
      return "'" + text + "' is not a fact path: each dot-separated part must be letters, digits, '_' or '-'";
    }
  }
  if (!in_scope(scope, parts.front())) {
    if (parts.front() == "item") {
      return "'" + text + "' names the item, but `item` is only bound in a rule with for_each "
             "(or inside some/every with `as: item`)";
    }
    if (parts.size() < 2) {
      std::string bound;
      for (const std::string& name : scope) bound += (bound.empty() ? "" : ", ") + name;
      return "'" + text + "' is neither a fact path (namespace.name, e.g. cpu.vmx) nor a bound item" +
             (bound.empty() ? std::string(" (nothing is bound here)") : " (bound here: " + bound + ")");
    }
  }
  out.path = text;
  out.parts = std::move(parts);
  return std::nullopt;
}

bool references_name(const Expr& expr, const std::string& name) {
  if (expr.kind == Expr::Kind::kFact) return expr.fact.parts.front() == name;
  if (expr.kind != Expr::Kind::kOp) return false;
  // A some/every variable of the same name shadows the outer one inside its check.
  if ((expr.op == Op::kSome || expr.op == Op::kEvery) && expr.variable == name) {
    return references_name(expr.args.front(), name);
  }
  return std::any_of(expr.args.begin(), expr.args.end(), [&](const Expr& arg) { return references_name(arg, name); });
}

}  // namespace ptdoctor::rules
