#pragma once
// Evaluates expressions against the facts with three-valued logic: a missing or null fact makes the result
// unknown (carrying the plugin's reason), a type mistake (gt on a string) makes it an error with a message, and
// every fact looked at is recorded with its value.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ptdoctor/facts.hpp"
#include "ptdoctor/report.hpp"
#include "rules/expression.hpp"

namespace ptdoctor::rules {

struct Outcome {
  enum class State { kValue, kUnknown, kError };
  State state = State::kValue;
  Json computed;                     // kValue without `borrowed`: a value the evaluator made (true/false, a length)
  // kValue: a fact's value in the store or a literal of the rule, used where it is instead of copied. Copying every
  // fact an operator read (`length: $pci.devices` copied the whole list, 52 M of the rules' 300 M at 1k sriov)
  // was most of what evaluating cost. The store does not change while rules run, and rules outlive a run.
  const Json* borrowed = nullptr;
  std::vector<std::string> reasons;  // kUnknown: why; kError: what went wrong

  static Outcome of(Json value) { return {State::kValue, std::move(value), nullptr, {}}; }
  static Outcome of_ref(const Json& value) { return {State::kValue, nullptr, &value, {}}; }
  static Outcome unknown(std::string reason) { return {State::kUnknown, nullptr, nullptr, {std::move(reason)}}; }
  static Outcome error(std::string message) { return {State::kError, nullptr, nullptr, {std::move(message)}}; }
  bool known() const { return state == State::kValue; }
  // kValue: the value (true/false for conditions).
  const Json& value() const { return borrowed != nullptr ? *borrowed : computed; }
  std::string reason_text() const;
};

// A name bound to a value: the for_each item or a some/every variable. `path` is the value's absolute fact path
// ("gpu.candidates.0") when it came from the facts, empty for elements of a literal list.
struct Binding {
  std::string name;
  const Json* value = nullptr;
  std::string path;
};

// The facts a rule looked at, by absolute path: where each value is in the fact store (nullptr when missing), so
// that recording a lookup copies nothing; result_facts() hands the pointers on to the rule's result, with `tree`
// (the store's shared tree, which they point into) to keep them valid.
using Evidence = std::map<std::string, const Json*, std::less<>>;
ResultFacts result_facts(const Evidence& seen, std::shared_ptr<const Json> tree);

class Evaluator {
 public:
  // `facts` must not change while `seen` holds pointers into it (the rule's run).
  Evaluator(const FactReader& facts, Evidence& seen) : facts_(facts), seen_(seen) {}

  void bind(Binding binding) { scope_.push_back(std::move(binding)); }
  void unbind() { scope_.pop_back(); }

  Outcome condition(const Expr& expr);
  Outcome value(const Expr& expr);

  // Resolves a path as a template placeholder would (recording it); nullptr when missing.
  const Json* lookup(const FactRef& ref);
  // Resolves a list to iterate over (for_each, some, every). A non-empty list is not recorded whole: the
  // elements' fields the rule reads are recorded one by one instead.
  const Json* lookup_list(const FactRef& ref, std::string& path);
  // The absolute path of a reference in the current scope ("gpu.candidates.0.bdf"), or the path as written
  // when it runs through a literal.
  std::string absolute_path(const FactRef& ref) const;
  // Why a missing or null reference is unknown.
  std::string missing_reason(const FactRef& ref) const;

 private:
  struct Resolved {
    const Json* value = nullptr;
    std::string path;  // absolute fact path, empty when the value is not a fact
  };
  // record: note the value in the evidence (seen_) under its path, as every lookup but lookup_list's does.
  Resolved resolve(const FactRef& ref, bool record = true);
  Outcome fact_value(const FactRef& ref);
  Outcome apply(const Expr& expr);
  Outcome pair(const Expr& expr);
  Outcome combine(const Expr& expr);
  Outcome quantify(const Expr& expr);
  Outcome size_of(const Expr& expr);

  const FactReader& facts_;
  Evidence& seen_;
  std::vector<Binding> scope_;
};

}  // namespace ptdoctor::rules
