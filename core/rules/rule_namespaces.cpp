#include "rules/rule_namespaces.hpp"

#include <algorithm>
#include <vector>

namespace ptdoctor::rules {
namespace {

class NamespaceCollector {
 public:
  NamespaceCollector(const Rule& rule, std::set<std::string>& out) : out_(out) {
    if (rule.for_each) {
      fact(*rule.for_each);
      bound_ = {"item", rule.item_name};
    }
  }

  void fact(const FactRef& ref) {
    if (ref.parts.empty()) return;
    if (std::find(bound_.begin(), bound_.end(), ref.parts.front()) != bound_.end()) return;
    out_.insert(ref.parts.front());
  }

  void expression(const Expr& expr) {
    if (expr.kind == Expr::Kind::kFact) fact(expr.fact);
    if (expr.kind != Expr::Kind::kOp) return;
    const bool binds = (expr.op == Op::kSome || expr.op == Op::kEvery) && !expr.variable.empty();
    for (std::size_t i = 0; i < expr.args.size(); ++i) {
      // The list of some/every is read outside its variable's scope; its check inside it.
      if (binds && i == 1) bound_.push_back(expr.variable);
      expression(expr.args[i]);
      if (binds && i == 1) bound_.pop_back();
    }
  }

  void message(const MessageTemplate& text) {
    for (const FactRef& ref : text.placeholders()) fact(ref);
  }

 private:
  std::set<std::string>& out_;
  std::vector<std::string> bound_;
};

}  // namespace

void add_namespaces_read(const Rule& rule, std::set<std::string>& out) {
  NamespaceCollector collector(rule, out);
  if (rule.when) collector.expression(*rule.when);
  collector.expression(rule.check);
  if (rule.subject) collector.message(*rule.subject);
  for (const auto& [status, text] : rule.messages) collector.message(text);
  for (const RuleFix& fix : rule.fixes) collector.message(fix.text);
}

}  // namespace ptdoctor::rules
