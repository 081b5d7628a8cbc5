#include "ptdoctor/report.hpp"

#include <algorithm>

namespace ptdoctor {
namespace {

const Json& null_json() {
  static const Json kNull;
  return kNull;
}

}  // namespace

ResultFacts::ResultFacts(std::vector<Entry> entries, std::shared_ptr<const void> owner) : entries_(std::move(entries)) {
  for (Entry& entry : entries_) {
    if (entry.value == nullptr) entry.value = &null_json();
  }
  if (owner) owners_.push_back(std::move(owner));
}

ResultFacts::ResultFacts(const Json& object) {
  if (!object.is_object() || object.empty()) return;
  auto copy = std::make_shared<const Json>(object);
  for (const auto& [path, value] : copy->get_ref<const Json::object_t&>()) entries_.push_back({path, &value});
  owners_.push_back(std::move(copy));
}

const ResultFacts::Entry* ResultFacts::find(std::string_view path) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), path,
                             [](const Entry& entry, std::string_view key) { return entry.path < key; });
  return it != entries_.end() && it->path == path ? &*it : nullptr;
}

bool ResultFacts::contains(std::string_view path) const { return find(path) != nullptr; }

const Json& ResultFacts::operator[](std::string_view path) const {
  const Entry* entry = find(path);
  return entry != nullptr ? *entry->value : null_json();
}

void ResultFacts::replace(std::size_t index, Json value) {
  auto held = std::make_shared<const Json>(std::move(value));
  entries_.at(index).value = held.get();
  owners_.push_back(std::move(held));
}

Json ResultFacts::to_json() const {
  Json object = Json::object();
  auto& members = object.get_ref<Json::object_t&>();
  for (const Entry& entry : entries_) members.emplace_hint(members.end(), entry.path, *entry.value);
  return object;
}

const char* to_string(Severity severity) {
  switch (severity) {
    case Severity::kBlocker: return "blocker";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "info";
  }
  return "info";
}

const char* to_string(RuleStatus status) {
  switch (status) {
    case RuleStatus::kPass: return "pass";
    case RuleStatus::kFail: return "fail";
    case RuleStatus::kSkip: return "skip";
    case RuleStatus::kUnknown: return "unknown";
    case RuleStatus::kError: return "error";
  }
  return "unknown";
}

// The verdict's name in JSON, Markdown and HTML: the text report's headline in lower case with dashes
// ("READY WITH WARNINGS" -> "ready-with-warnings"), so a script and a reader see the same word.
const char* to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::kReady: return "ready";
    case Verdict::kWarnings: return "ready-with-warnings";
    case Verdict::kNotReady: return "not-ready";
    case Verdict::kUnknown: return "cannot-judge";
  }
  return "cannot-judge";
}

const char* to_string(PluginProblemKind kind) {
  switch (kind) {
    case PluginProblemKind::kMissing: return "missing";
    case PluginProblemKind::kRefused: return "refused";
    case PluginProblemKind::kFailed: return "failed";
  }
  return "missing";
}

Summary summarize(const std::vector<RuleResult>& results) {
  Summary summary;
  for (const RuleResult& result : results) {
    switch (result.status) {
      case RuleStatus::kPass: ++summary.pass; break;
      case RuleStatus::kFail:
        ++summary.fail;
        if (result.severity == Severity::kBlocker) ++summary.blockers_failed;
        if (result.severity == Severity::kWarning) ++summary.warnings_failed;
        break;
      case RuleStatus::kSkip: ++summary.skip; break;
      case RuleStatus::kUnknown: ++summary.unknown; break;
      case RuleStatus::kError: ++summary.error; break;
    }
  }
  return summary;
}

Json& RunReport::edit_facts() {
  // Held by anyone else (the fact store, a result's evidence, another copy of this report): copied before it
  // changes. Otherwise the tree is this report's own, made non-const (see fact_tree), so changing it is sound.
  if (fact_tree.use_count() != 1) fact_tree = std::make_shared<Json>(*fact_tree);
  return const_cast<Json&>(*fact_tree);
}

Verdict compute_verdict(const std::vector<RuleResult>& results) {
  // Nothing judged is not the same as nothing wrong.
  if (results.empty()) return Verdict::kUnknown;
  bool blocker_failed = false, blocker_undecided = false, blocker_passed = false, warning_failed = false;
  for (const RuleResult& result : results) {
    bool undecided = result.status == RuleStatus::kUnknown || result.status == RuleStatus::kError;
    if (result.severity == Severity::kBlocker) {
      blocker_failed |= result.status == RuleStatus::kFail;
      blocker_passed |= result.status == RuleStatus::kPass;
      blocker_undecided |= undecided;
    } else if (result.severity == Severity::kWarning) {
      warning_failed |= result.status == RuleStatus::kFail;
    }
  }
  if (blocker_failed) return Verdict::kNotReady;
  // Ready means a blocker was checked and held. When every blocker skipped (its premise was false) or there was
  // none, nothing showed the host can pass a GPU through: the same as nothing judged.
  if (blocker_undecided || !blocker_passed) return Verdict::kUnknown;
  if (warning_failed) return Verdict::kWarnings;
  return Verdict::kReady;
}

int exit_code_for(Verdict verdict) {
  switch (verdict) {
    case Verdict::kReady: return 0;
    case Verdict::kWarnings: return 1;
    case Verdict::kNotReady: return 2;
    case Verdict::kUnknown: return 3;
  }
  return 3;
}

Verdict compute_verdict(const std::vector<RuleResult>& results, const std::vector<PluginProblem>& plugin_problems) {
  Verdict verdict = compute_verdict(results);
  if (!plugin_problems.empty() && verdict != Verdict::kNotReady) return Verdict::kUnknown;
  return verdict;
}

}  // namespace ptdoctor
