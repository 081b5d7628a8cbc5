#include "rules/cause_links.hpp"

#include <map>
#include <set>

namespace ptdoctor::rules {

std::vector<std::string> check_follows(std::vector<Rule>& rules, std::size_t first) {
  std::map<std::string, std::string> follows_of;
  for (const Rule& rule : rules) follows_of[rule.id] = rule.follows;
  std::vector<std::string> problems;
  for (std::size_t i = first; i < rules.size(); ++i) {
    Rule& rule = rules[i];
    if (rule.follows.empty()) continue;
    std::string where = rule.file + ":" + std::to_string(rule.follows_line) + ": rule '" + rule.id + "' ";
    if (!follows_of.count(rule.follows)) {
      problems.push_back(where + "follows '" + rule.follows + "', which is not a loaded rule");
      rule.follows.clear();
      continue;
    }
    std::set<std::string> seen = {rule.id};
    for (std::string next = rule.follows; !next.empty(); next = follows_of[next]) {
      if (!seen.insert(next).second) {
        problems.push_back(where + "follows '" + rule.follows + "', whose chain of follows: leads back to '" +
                           next + "'");
        rule.follows.clear();
        follows_of[rule.id].clear();
        break;
      }
    }
  }
  return problems;
}

void link_causes(std::vector<RuleResult>& results) {
  std::map<std::string, std::string> follows_of;
  std::set<std::string> not_passed;
  for (const RuleResult& result : results) {
    follows_of[result.rule_id] = result.follows;
    if (is_problem(result)) not_passed.insert(result.rule_id);
  }
  for (RuleResult& result : results) {
    if (!is_problem(result)) continue;
    std::set<std::string> seen = {result.rule_id};
    std::string root;
    for (std::string next = result.follows; not_passed.count(next) && seen.insert(next).second;
         next = follows_of[next]) {
      root = next;
    }
    result.caused_by = root;
  }
}

}  // namespace ptdoctor::rules
