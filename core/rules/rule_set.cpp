#include <algorithm>
#include <filesystem>
#include <map>

#include "ptdoctor/rules.hpp"
#include "rules/cause_links.hpp"
#include "rules/rule.hpp"
#include "rules/rule_describe.hpp"
#include "rules/message_similarity.hpp"
#include "util/regex_guard.hpp"
#include "rules/rule_cache.hpp"
#include "rules/rule_loader.hpp"
#include "rules/rule_namespaces.hpp"
#include "rules/rule_runner.hpp"
#include "rules/yaml_util.hpp"
#include "util/input_file.hpp"

namespace ptdoctor {
namespace {

rules::LoadedFile load_listed_file(const std::string& file, const rules::RuleCache& cache) {
  // Read once: the bytes decide both the cache lookup and, on a miss, what is parsed.
  auto text = read_input_file(file, kRulesFileInput);
  if (!text) return rules::load_rule_file(file, true);  // the same refusal and error kind as any rules file
  if (std::optional<rules::LoadedFile> cached = cache.find(*text, file)) return std::move(*cached);
  return rules::load_rule_text(*text, file, true);
}

}  // namespace

struct RuleSet::Impl {
  std::vector<Rule> rules;
  std::map<std::string, std::string> defined_at;  // id -> "file:line:column"

  // Adds a file's rules unless one of their ids is already taken (then the file adds none, like any error).
  std::vector<Error> add(rules::LoadedFile loaded) {
    std::vector<Error> errors;
    for (const Rule& rule : loaded.rules) {
      auto it = defined_at.find(rule.id);
      if (it != defined_at.end()) {
        loaded.problems.push_back(rule.file + ":" + std::to_string(rule.line) + ":" + std::to_string(rule.column) +
                                  ": rule id '" + rule.id + "' is already defined at " + it->second +
                                  "; rule ids must be unique across all rule files");
      }
    }
    // A file that could not be read keeps its kind (not found, I/O), so the CLI can tell "no input" from "bad rule".
    const ErrorKind kind = loaded.read_error.value_or(ErrorKind::kInvalidInput);
    for (std::string& problem : loaded.problems) errors.push_back(make_error(kind, std::move(problem)));
    if (!errors.empty()) return errors;
    for (Rule& rule : loaded.rules) {
      defined_at[rule.id] = rule.file + ":" + std::to_string(rule.line) + ":" + std::to_string(rule.column);
      rules.push_back(std::move(rule));
    }
    return errors;
  }

  // The follows: links of the rules added since `first` must name loaded rules (all files of one load() are in
  // by then, so rules may follow rules of a later file).
  std::vector<Error> linked(std::vector<Error> errors, std::size_t first) {
    for (std::string& problem : rules::check_follows(rules, first)) {
      errors.push_back(make_error(ErrorKind::kInvalidInput, std::move(problem)));
    }
    return errors;
  }

  const Rule* find(const std::string& id) const {
    auto it = std::find_if(rules.begin(), rules.end(), [&](const Rule& rule) { return rule.id == id; });
    return it == rules.end() ? nullptr : &*it;
  }
};

RuleSet::RuleSet() : impl_(std::make_unique<Impl>()) {}
RuleSet::~RuleSet() = default;
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;

std::vector<Error> RuleSet::load(const std::string& file_or_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::file_status status = fs::status(file_or_dir, ec);
  if (ec || !fs::exists(status)) {
    return {make_error(ErrorKind::kNotFound, file_or_dir + ": no such rules file or directory")};
  }
  std::size_t first = impl_->rules.size();
  if (!fs::is_directory(status)) return impl_->linked(impl_->add(rules::load_rule_file(file_or_dir, false)), first);

  const std::vector<std::string> files = rules::rule_files_in(file_or_dir, ec);
  if (ec) return {make_error(ErrorKind::kIo, file_or_dir + ": cannot list the rules directory: " + ec.message())};
  // The shipped files come from the compiled cache when their bytes are the ones it was built from.
  const rules::RuleCache cache = rules::RuleCache::read(file_or_dir);
  std::vector<Error> errors;
  for (const std::string& file : files) {
    for (Error& error : impl_->add(load_listed_file(file, cache))) errors.push_back(std::move(error));
  }
  return impl_->linked(std::move(errors), first);
}

std::vector<Error> RuleSet::load_text(const std::string& yaml_text, const std::string& origin) {
  std::size_t first = impl_->rules.size();
  return impl_->linked(impl_->add(rules::load_rule_text(yaml_text, origin, false)), first);
}

std::size_t RuleSet::size() const { return impl_->rules.size(); }

std::vector<std::string> RuleSet::ids() const {
  std::vector<std::string> ids;
  for (const Rule& rule : impl_->rules) ids.push_back(rule.id);
  return ids;
}

Json RuleSet::describe(const std::string& id) const {
  const Rule* rule = impl_->find(id);
  return rule ? rules::describe_rule(*rule) : Json();
}

Json RuleSet::describe_all() const {
  Json all = Json::array();
  for (const Rule& rule : impl_->rules) all.push_back(rules::describe_rule(rule));
  return all;
}

std::vector<std::string> RuleSet::recognise(const std::string& pasted_message) const {
  std::vector<std::string> ids;
  // A pasted message may be a whole log: look at its start only, as `matches` does.
  std::string_view text(pasted_message);
  text = text.substr(0, kMaxMatchLength);
  for (const Rule& rule : impl_->rules) {
    for (const std::string& written : rule.recognises) {
      std::regex pattern;
      if (compile_pattern(written, true, pattern)) continue;  // cannot happen: checked at load
      if (bounded_search(text, pattern).value_or(false)) {
        ids.push_back(rule.id);
        break;
      }
    }
  }
  return ids;
}

std::vector<std::string> RuleSet::closest(const std::string& pasted_message, std::size_t limit) const {
  const auto message_words =
      rules::significant_words(std::string_view(pasted_message).substr(0, kMaxMatchLength));
  std::vector<std::pair<int, std::size_t>> scored;  // (score, load order)
  for (std::size_t index = 0; index < impl_->rules.size(); ++index) {
    const Rule& rule = impl_->rules[index];
    std::string key_text = rule.title;
    for (const std::string& pattern : rule.recognises) key_text += " " + pattern;
    std::string other_text = rule.why;
    if (auto fail = rule.messages.find("fail"); fail != rule.messages.end()) other_text += " " + fail->second.text();
    const int score = rules::similarity(message_words, rules::significant_words(key_text),
                                        rules::significant_words(other_text));
    if (score > 0) scored.emplace_back(score, index);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < scored.size() && i < limit; ++i) ids.push_back(impl_->rules[scored[i].second].id);
  return ids;
}

std::set<std::string> RuleSet::fact_namespaces() const {
  std::set<std::string> namespaces;
  for (const Rule& rule : impl_->rules) rules::add_namespaces_read(rule, namespaces);
  return namespaces;
}

std::vector<RuleResult> RuleSet::evaluate(const FactStore& facts) const {
  std::vector<RuleResult> results;
  for (const Rule& rule : impl_->rules) {
    for (RuleResult& result : rules::run_rule(rule, facts)) results.push_back(std::move(result));
  }
  rules::link_causes(results);
  return results;
}

}  // namespace ptdoctor
