#include "rules/rule_runner.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "rules/evaluator.hpp"

namespace ptdoctor::rules {
namespace {

// A fix is advice to paste or follow: one that names a value this host lacks (no target GPU, an unknown kernel
// release) would print "?" or a stand-in where the user expects the real thing, so it is left out for this result
// and the rule's other fixes speak. An empty list or text is as missing as an absent fact: "Add  to pci=" helps no one.
template <class Lookup>
bool names_a_missing_value(const MessageTemplate& text, const Lookup& lookup) {
  for (const FactRef& ref : text.placeholders()) {
    const Json* value = lookup(ref);
    if (value == nullptr || value->is_null() || (value->is_array() && value->empty()) ||
        (value->is_string() && value->get_ref<const std::string&>().empty())) {
      return true;
    }
  }
  return false;
}

// A title as the clause after "Cannot tell whether": its first word lowercased when it is an ordinary capitalised
// word ("The running Xen release ..." -> "the running Xen release ..."); names (Xen, Linux, Intel) and
// abbreviations (CPU, NVIDIA, VT-x) keep their case.
std::string as_clause(const std::string& title) {
  std::size_t end = title.find(' ');
  std::string_view word = std::string_view(title).substr(0, end);
  static constexpr std::string_view kNames[] = {"Xen", "Linux", "Intel", "Debian", "Radeon", "GeForce"};
  bool ordinary = word.size() > 0 && std::isupper(static_cast<unsigned char>(word[0])) &&
                  std::all_of(word.begin() + 1, word.end(),
                              [](char c) { return std::islower(static_cast<unsigned char>(c)); });
  for (std::string_view name : kNames) ordinary = ordinary && word != name;
  std::string clause = title;
  if (ordinary) clause[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(clause[0])));
  return clause;
}

// The one result of a rule that is not run per item. `return {result}` would copy it out of an initializer list:
// for pci.devices-read (`length: $pci.devices`) that was the whole device list copied and freed, 54 M at 1k sriov.
std::vector<RuleResult> only(RuleResult result) {
  std::vector<RuleResult> results;
  results.push_back(std::move(result));
  return results;
}

RuleStatus status_of(const Outcome& outcome) {
  switch (outcome.state) {
    case Outcome::State::kError: return RuleStatus::kError;
    case Outcome::State::kUnknown: return RuleStatus::kUnknown;
    case Outcome::State::kValue: break;
  }
  return outcome.value().get<bool>() ? RuleStatus::kPass : RuleStatus::kFail;
}

class RuleRun {
 public:
  RuleRun(const Rule& rule, const FactStore& facts) : rule_(rule), facts_(facts), tree_(facts.shared_tree()) {}

  std::vector<RuleResult> run() {
    Evidence seen;
    Evaluator host_wide(facts_, seen);
    if (rule_.when && !rule_.when_uses_item) {
      Outcome when = host_wide.condition(*rule_.when);
      if (!(when.known() && when.value().get<bool>())) return only(finish(when, true, host_wide, seen, ""));
    }
    if (!rule_.for_each) return only(decide(host_wide, seen, ""));

    const FactRef& list_ref = *rule_.for_each;
    std::string list_path;
    const Json* list = host_wide.lookup_list(list_ref, list_path);
    if (list == nullptr || list->is_null()) {
      return only(finish(Outcome::unknown(host_wide.missing_reason(list_ref)), false, host_wide, seen, ""));
    }
    if (!list->is_array()) {
      return only(finish(Outcome::error("for_each: $" + list_ref.path + " is not a list"), false, host_wide, seen, ""));
    }
    if (list->empty()) {
      RuleResult result = finish(Outcome::of(false), true, host_wide, seen, "");
      result.message = "nothing to check: " + list_ref.path + " is empty";
      return only(std::move(result));
    }
    std::vector<RuleResult> results;
    for (std::size_t i = 0; i < list->size(); ++i) {
      Evidence item_seen = seen;
      Evaluator evaluator(facts_, item_seen);
      std::string path = list_path + "." + std::to_string(i);
      const Json* item = &(*list)[i];
      evaluator.bind({"item", item, path});
      if (rule_.item_name != "item") evaluator.bind({rule_.item_name, item, path});
      results.push_back(decide(evaluator, item_seen, default_subject(*item, path)));
    }
    return results;
  }

 private:
  // A result's subject when the rule names none: the item's BDF, the item itself when it is text, else its path.
  static std::string default_subject(const Json& item, const std::string& path) {
    if (item.is_string()) return item.get<std::string>();
    if (item.is_object() && item.contains("bdf") && item["bdf"].is_string()) return item["bdf"].get<std::string>();
    return path;
  }

  RuleResult decide(Evaluator& evaluator, Evidence& seen, const std::string& subject) {
    if (rule_.when && rule_.when_uses_item) {
      Outcome when = evaluator.condition(*rule_.when);
      if (!(when.known() && when.value().get<bool>())) return finish(when, true, evaluator, seen, subject);
    }
    return finish(evaluator.condition(rule_.check), false, evaluator, seen, subject);
  }

  // `from_when`: the outcome is the precondition's, so false means skip rather than fail.
  RuleResult finish(const Outcome& outcome, bool from_when, Evaluator& evaluator, Evidence& seen,
                    const std::string& subject) {
    RuleResult result;
    result.rule_id = rule_.id;
    result.title = rule_.title;
    result.severity = rule_.severity;
    result.why = rule_.why;
    result.refs = rule_.refs;
    result.source = rule_.source();
    result.follows = rule_.follows;
    result.status = status_of(outcome);
    if (from_when && result.status == RuleStatus::kFail) result.status = RuleStatus::kSkip;
    auto lookup = [&evaluator](const FactRef& ref) { return evaluator.lookup(ref); };
    // A subject template of a for_each rule names the item: only rendered where an item is bound.
    bool item_bound = !subject.empty();
    // A subject naming a value this host lacks ("{gpu.target}" without a target) is left empty, never "?".
    bool renders = rule_.subject && (item_bound || !rule_.for_each) && !names_a_missing_value(*rule_.subject, lookup);
    result.subject = renders ? rule_.subject->render(lookup) : subject;
    result.message = message(result.status, outcome, lookup);
    for (const RuleFix& fix : rule_.fixes) {
      if (names_a_missing_value(fix.text, lookup)) continue;
      result.fixes.push_back({fix.text.render(lookup), fix.action});
    }
    // Without a bound item (the list itself is missing) the fix and message placeholders that name the item
    // ("{c.bdf}") were looked up as facts; they are not facts, and a report would list them as "not collected".
    if (rule_.for_each && !item_bound) {
      for (const std::string& name : {std::string("item"), rule_.item_name}) {
        for (auto it = seen.begin(); it != seen.end();) {
          bool names_item = it->first.starts_with(name + ".") && it->first != rule_.for_each->path;
          bool missing = it->second == nullptr || it->second->is_null();
          it = names_item && missing ? seen.erase(it) : std::next(it);
        }
      }
    }
    result.facts = result_facts(seen, tree_);
    return result;
  }

  template <class Lookup>
  std::string message(RuleStatus status, const Outcome& outcome, const Lookup& lookup) const {
    auto written = rule_.messages.find(to_string(status));
    bool has = written != rule_.messages.end();
    switch (status) {
      case RuleStatus::kPass: return has ? written->second.render(lookup) : rule_.title;
      case RuleStatus::kFail: return has ? written->second.render(lookup) : rule_.title;
      case RuleStatus::kSkip:
        // Rules with a `when` say why in message.skip (a rule-set test holds every shipped rule to it); this is
        // the fallback for a user's own rules.
        return has ? written->second.render(lookup) : "not applicable on this host";
      case RuleStatus::kUnknown:
        return (has ? written->second.render(lookup) : "Cannot tell whether " + as_clause(rule_.title)) + " (" +
               outcome.reason_text() + ")";
      case RuleStatus::kError:
        return "rule error at " + rule_.source() + ": " + outcome.reason_text() +
               "; the rule or the plugin that wrote the fact is wrong: please report it";
    }
    return rule_.title;
  }

  const Rule& rule_;
  const FactReader& facts_;
  std::shared_ptr<const Json> tree_;  // what the evidence points into, kept alive by every result
};

}  // namespace

std::vector<RuleResult> run_rule(const Rule& rule, const FactStore& facts) { return RuleRun(rule, facts).run(); }

}  // namespace ptdoctor::rules
