#include "rule_cases.hpp"

#include <algorithm>
#include <filesystem>

#include <yaml-cpp/yaml.h>

#include "rules/rule_loader.hpp"
#include "rules/rule_runner.hpp"
#include "rules/yaml_util.hpp"

namespace ptdoctor::testing {
namespace fs = std::filesystem;

namespace {

std::vector<std::string> yaml_files(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string at(const std::string& file, const YAML::Node& node) {
  return file + ":" + std::to_string(node.Mark().line + 1);
}

// A fact tree written in YAML, typed the way rules read literals ("0x10de" and 0x10de are both text, true is a
// bool). The key `unknown:` at the top maps fact paths to the reason a plugin gave for not knowing them.
bool build_store(const YAML::Node& tree, FactStore& store, std::string& problem) {
  if (tree.IsNull()) return true;
  if (!tree.IsMap()) {
    problem = "a case's facts must be a map of fact namespaces";
    return false;
  }
  for (const auto& entry : tree) {
    const std::string key = entry.first.as<std::string>();
    if (key == "unknown") {
      for (const auto& reason : entry.second) {
        store.set_unknown(reason.first.as<std::string>(), reason.second.as<std::string>());
      }
      continue;
    }
    Json value;
    rules::NodeBudget budget;
    if (!rules::yaml_to_json(entry.second, value, budget, problem)) return false;
    store.set(key, std::move(value), "case");
  }
  return true;
}

std::optional<RuleStatus> status_named(const std::string& name) {
  for (RuleStatus status : {RuleStatus::kPass, RuleStatus::kFail, RuleStatus::kSkip, RuleStatus::kUnknown,
                            RuleStatus::kError}) {
    if (name == to_string(status)) return status;
  }
  return std::nullopt;
}

void load_file(const std::string& file, LoadedCases& loaded) {
  YAML::Node document;
  try {
    document = YAML::LoadFile(file);
  } catch (const YAML::Exception& error) {
    loaded.problems.push_back(file + ": " + error.what());
    return;
  }
  if (!document["cases"] || !document["cases"].IsSequence()) {
    loaded.problems.push_back(file + ": needs a list `cases:`");
    return;
  }
  for (const YAML::Node& group : document["cases"]) {
    if (!group.IsMap() || !group["rule"]) {
      loaded.problems.push_back(at(file, group) + ": each entry needs `rule: ID`");
      continue;
    }
    const std::string rule_id = group["rule"].as<std::string>();
    for (const auto& entry : group) {
      const std::string key = entry.first.as<std::string>();
      if (key == "rule" || key == "why") continue;
      auto status = status_named(key);
      if (!status || !entry.second.IsSequence()) {
        loaded.problems.push_back(at(file, entry.first) + ": '" + key +
                                  "' is not a list of fact trees under pass|fail|skip|unknown|error");
        continue;
      }
      for (const YAML::Node& tree : entry.second) {
        RuleCase rule_case;
        rule_case.rule_id = rule_id;
        rule_case.expected = *status;
        rule_case.where = at(file, tree);
        std::string problem;
        if (!build_store(tree, rule_case.facts, problem)) {
          loaded.problems.push_back(rule_case.where + ": " + problem);
          continue;
        }
        loaded.cases.push_back(std::move(rule_case));
      }
    }
  }
}

}  // namespace

LoadedCases load_rule_cases(const std::string& dir) {
  LoadedCases loaded;
  for (const std::string& file : yaml_files(dir)) load_file(file, loaded);
  return loaded;
}

std::vector<Rule> load_shipped_rules(const std::string& dir, std::vector<std::string>& problems) {
  std::vector<Rule> rules;
  for (const std::string& file : yaml_files(dir)) {
    rules::LoadedFile loaded = rules::load_rule_file(file, true);
    for (std::string& problem : loaded.problems) problems.push_back(std::move(problem));
    for (Rule& rule : loaded.rules) rules.push_back(std::move(rule));
  }
  return rules;
}

std::string case_failure(const std::vector<Rule>& rules, const RuleCase& rule_case) {
  auto rule = std::find_if(rules.begin(), rules.end(), [&](const Rule& r) { return r.id == rule_case.rule_id; });
  if (rule == rules.end()) return rule_case.where + ": no rule " + rule_case.rule_id;
  std::vector<RuleResult> results = rules::run_rule(*rule, rule_case.facts);
  if (results.empty()) return rule_case.where + ": " + rule_case.rule_id + " gave no result";
  for (const RuleResult& result : results) {
    if (result.status != rule_case.expected) {
      return rule_case.where + ": " + rule_case.rule_id + " expected " + to_string(rule_case.expected) + ", got " +
             to_string(result.status) + " (" + (result.subject.empty() ? "" : result.subject + ": ") +
             result.message + ")";
    }
  }
  return "";
}

}  // namespace ptdoctor::testing
