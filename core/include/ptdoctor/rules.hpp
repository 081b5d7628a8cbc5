#pragma once
// The YAML rule engine: rule sets are data (rules/*.yaml), loaded and validated here, then evaluated against the
// fact store. Three-valued: a missing or unknown fact makes a rule "unknown", never "pass".
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ptdoctor/facts.hpp"
#include "ptdoctor/report.hpp"
#include "ptdoctor/result.hpp"

namespace ptdoctor {

struct Rule;  // defined in core/rules/rule.hpp

// A loaded, validated collection of rules from one or more files or directories.
class RuleSet {
 public:
  RuleSet();
  ~RuleSet();
  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;

  // Loads a file or every *.yaml / *.yml in a directory (sorted). Every problem found is returned, each naming
  // file:line:column; rules of files without errors are still added.
  std::vector<Error> load(const std::string& file_or_dir);
  // For tests and --rules given as text: `origin` names the source in messages.
  std::vector<Error> load_text(const std::string& yaml_text, const std::string& origin);

  std::size_t size() const;
  std::vector<std::string> ids() const;
  // Full description for `ptdoctor rules` and `ptdoctor explain`: id, title, severity, why, fix texts, refs,
  // source location and the check expression as written. Null when no such rule.
  Json describe(const std::string& id) const;
  Json describe_all() const;
  // Ids of the rules whose `recognises:` patterns match a message a user pasted ("Looks like pciback driver is
  // not loaded"), in load order; empty when none does.
  std::vector<std::string> recognise(const std::string& pasted_message) const;
  // For a message no rule recognises: up to `limit` ids of the rules sharing the most words with it (title,
  // recognises, why, fail message), best first; empty when none shares a word.
  std::vector<std::string> closest(const std::string& pasted_message, std::size_t limit) const;

  // The fact namespaces the rules read ("cpu", "pci", ...): the plugins a run of these rules needs.
  std::set<std::string> fact_namespaces() const;

  // Each result refers into the store's tree for the facts it looked at and keeps that tree alive
  // (FactStore::shared_tree), so results outlive the store, and a fact set afterwards does not change them.
  std::vector<RuleResult> evaluate(const FactStore& facts) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ptdoctor
