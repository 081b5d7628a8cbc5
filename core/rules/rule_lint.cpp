#include "rules/rule_lint.hpp"

#include <map>
#include <optional>

#include "ptdoctor/facts.hpp"

namespace ptdoctor::rules {
namespace {

using facts::FactCatalog;
using facts::FactDecl;
using facts::FactType;

// A fact reference resolved against the declarations: its canonical path and type, or why it is not declared.
struct Resolved {
  std::string canonical;
  FactType type = FactType::kAny;
  std::optional<std::string> problem;
};

class Linter {
 public:
  Linter(const Rule& rule, const FactCatalog& catalog, std::vector<std::string>& problems)
      : rule_(rule), catalog_(catalog), problems_(problems) {}

  void run() {
    if (rule_.for_each) {
      Resolved list = resolve(*rule_.for_each);
      report(list, *rule_.for_each, rule_.line);
      if (!list.problem) {
        expect(list, {FactType::kList}, "for_each", *rule_.for_each, rule_.line);
        bound_["item"] = list.canonical + "[]";
        bound_[rule_.item_name] = list.canonical + "[]";
      }
    }
    if (rule_.when) condition(*rule_.when);
    condition(rule_.check);
    if (rule_.subject) templates(*rule_.subject);
    for (const auto& [status, message] : rule_.messages) templates(message);
    for (const RuleFix& fix : rule_.fixes) templates(fix.text);
  }

 private:
  Resolved resolve(const FactRef& ref) const {
    Resolved out;
    if (ref.parts.empty()) return out;
    std::string canonical;
    std::size_t first = 1;
    if (auto it = bound_.find(ref.parts[0]); it != bound_.end()) {
      canonical = it->second;
    } else {
      canonical = ref.parts[0];
      if (ref.parts.size() < 2) {
        out.problem = "$" + ref.path + " names a whole namespace, not a fact";
        return out;
      }
      const FactDecl* top = catalog_.find(ref.parts[0] + "." + ref.parts[1]);
      if (top == nullptr) {
        out.problem = "$" + ref.path + ": " + ref.parts[0] + "." + ref.parts[1] + " is not a declared fact";
        return out;
      }
      canonical = top->path;
      first = 2;
    }
    const FactDecl* decl = catalog_.find(canonical);
    for (std::size_t i = first; i < ref.parts.size(); ++i) {
      if (decl != nullptr && decl->type == FactType::kAny) break;  // declared as opaque: its inside is not described
      const FactDecl* next = catalog_.child(canonical, ref.parts[i]);
      if (next == nullptr) {
        out.problem = "$" + ref.path + ": " + canonical + "." + ref.parts[i] + " is not a declared fact";
        return out;
      }
      decl = next;
      canonical = next->path;
    }
    out.canonical = canonical;
    out.type = decl != nullptr ? decl->type : FactType::kAny;
    return out;
  }

  void report(const Resolved& resolved, const FactRef& ref, int line) {
    if (!resolved.problem) return;
    add(line, *resolved.problem + " (declare it in the plugin's facts.yaml, or fix the path; `ptdoctor plugins` "
                                  "lists the facts)");
    (void)ref;
  }

  void expect(const Resolved& resolved, std::initializer_list<FactType> allowed, const std::string& op,
              const FactRef& ref, int line) {
    if (resolved.problem || resolved.type == FactType::kAny) return;
    for (FactType type : allowed) {
      if (resolved.type == type) return;
      if (type == FactType::kNumber && resolved.type == FactType::kInteger) return;
    }
    std::string wanted;
    for (FactType type : allowed) wanted += (wanted.empty() ? "" : " or ") + std::string(facts::to_string(type));
    add(line, op + " needs " + wanted + ", but $" + ref.path + " is declared " + facts::to_string(resolved.type) +
                  " (" + resolved.canonical + ")");
  }

  // A fact operand: resolves it, reports an undeclared path, and returns it for type checks.
  std::optional<Resolved> operand(const Expr& expr) {
    if (expr.kind == Expr::Kind::kOp) {
      value(expr);
      return std::nullopt;
    }
    if (expr.kind != Expr::Kind::kFact) return std::nullopt;
    Resolved resolved = resolve(expr.fact);
    report(resolved, expr.fact, line_of(expr));
    return resolved;
  }

  int line_of(const Expr& expr) const { return expr.line > 0 ? expr.line : rule_.line; }

  // An expression in a position that must be true or false.
  void condition(const Expr& expr) {
    if (expr.kind == Expr::Kind::kFact) {
      if (auto resolved = operand(expr)) expect(*resolved, {FactType::kBoolean}, "a bare fact used as a condition",
                                                expr.fact, line_of(expr));
      return;
    }
    value(expr);
  }

  void value(const Expr& expr) {
    if (expr.kind != Expr::Kind::kOp) {
      operand(expr);
      return;
    }
    const int line = line_of(expr);
    auto typed = [&](std::size_t index, std::initializer_list<FactType> allowed) {
      if (index >= expr.args.size()) return;
      if (auto resolved = operand(expr.args[index])) expect(*resolved, allowed, expr.name, expr.args[index].fact, line);
    };
    switch (expr.op) {
      case Op::kAll:
      case Op::kAny:
      case Op::kNot:
        for (const Expr& arg : expr.args) condition(arg);
        return;
      case Op::kSome:
      case Op::kEvery: {
        if (expr.args.size() < 2) return;
        auto list = operand(expr.args[0]);
        if (list) expect(*list, {FactType::kList}, expr.name, expr.args[0].fact, line);
        auto saved = bound_;
        if (list && !list->problem) bound_[expr.variable] = list->canonical + "[]";
        condition(expr.args[1]);
        bound_ = saved;
        return;
      }
      case Op::kEmpty:
      case Op::kLength:
        typed(0, {FactType::kList, FactType::kMap, FactType::kString});
        return;
      case Op::kContains:
        typed(0, {FactType::kList, FactType::kMap, FactType::kString});
        for (std::size_t i = 1; i < expr.args.size(); ++i) operand(expr.args[i]);
        return;
      case Op::kIn:
        if (!expr.args.empty()) operand(expr.args[0]);
        typed(1, {FactType::kList, FactType::kMap, FactType::kString});
        return;
      case Op::kGt:
      case Op::kGe:
      case Op::kLt:
      case Op::kLe:
        for (std::size_t i = 0; i < expr.args.size(); ++i) typed(i, {FactType::kNumber});
        return;
      case Op::kVersionGt:
      case Op::kVersionGe:
      case Op::kVersionLt:
      case Op::kVersionLe:
      case Op::kVersionEq:
        for (std::size_t i = 0; i < expr.args.size(); ++i) typed(i, {FactType::kString, FactType::kNumber});
        return;
      case Op::kMatches:
        typed(0, {FactType::kString});
        return;
      case Op::kEquals:
      case Op::kNotEquals:
        equality(expr);
        return;
      case Op::kExists:
        for (const Expr& arg : expr.args) operand(arg);
        return;
    }
  }

  // equals/not_equals: a declared scalar compared with a literal of another kind can never match.
  void equality(const Expr& expr) {
    std::optional<Resolved> fact;
    const Expr* fact_expr = nullptr;
    const Expr* literal = nullptr;
    for (const Expr& arg : expr.args) {
      if (arg.kind == Expr::Kind::kLiteral) {
        literal = &arg;
      } else if (auto resolved = operand(arg)) {
        fact = resolved;
        fact_expr = &arg;
      }
    }
    if (!fact || fact->problem || literal == nullptr || literal->literal.is_null()) return;
    if (!facts::value_fits(literal->literal, fact->type) &&
        !(fact->type == FactType::kNumber && literal->literal.is_number())) {
      add(line_of(expr), expr.name + " compares $" + fact_expr->fact.path + " (declared " +
                             facts::to_string(fact->type) + ") with " + literal->literal.dump() +
                             ", which is " + literal->literal.type_name() + ": it can never be equal");
    }
  }

  // The {path} placeholders of a message or fix text: the loader already checked their syntax; here only whether
  // the facts they name are declared.
  void templates(const MessageTemplate& message) {
    for (FactRef ref : message.placeholders()) {
      ref.parts = split_fact_path(ref.path);
      report(resolve(ref), ref, rule_.line);
    }
  }

  void add(int line, const std::string& what) {
    problems_.push_back(rule_.file + ":" + std::to_string(line) + ": rule " + rule_.id + ": " + what);
  }

  const Rule& rule_;
  const FactCatalog& catalog_;
  std::vector<std::string>& problems_;
  std::map<std::string, std::string> bound_;  // item / as / some-every names -> canonical element path
};

}  // namespace

std::vector<std::string> lint_rules(const std::vector<Rule>& rules, const facts::FactCatalog& catalog) {
  std::vector<std::string> problems;
  for (const Rule& rule : rules) Linter(rule, catalog, problems).run();
  return problems;
}

}  // namespace ptdoctor::rules
