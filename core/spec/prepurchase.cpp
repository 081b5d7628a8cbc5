#include "spec/prepurchase.hpp"

#include <algorithm>

namespace ptdoctor::spec {
namespace {

bool is_spec_rule(const RuleResult& result) { return result.rule_id.rfind("spec.", 0) == 0; }

const Json* at(const Json& tree, const std::string& dotted) {
  const Json* node = &tree;
  std::size_t start = 0;
  while (start <= dotted.size()) {
    std::size_t end = dotted.find('.', start);
    std::string key = dotted.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (node->is_object() && node->contains(key))
      node = &(*node)[key];
    else if (node->is_array() && !key.empty() && std::all_of(key.begin(), key.end(), ::isdigit) &&
             std::stoul(key) < node->size())
      node = &(*node)[std::stoul(key)];
    else
      return nullptr;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return node;
}

std::string text_at(const Json& tree, const std::string& dotted) {
  const Json* value = at(tree, dotted);
  return value != nullptr && value->is_string() ? value->get<std::string>() : "";
}

std::vector<std::pair<std::string, std::string>> parts_of(const Json& facts) {
  std::vector<std::pair<std::string, std::string>> parts;
  std::string cpu = text_at(facts, "spec.parts.cpu");
  std::string model = text_at(facts, "spec.cpu.model");
  parts.emplace_back("CPU", cpu.empty() ? "(none given)" : cpu + (model.empty() || model == cpu ? "" : " = " + model));
  std::string board = text_at(facts, "spec.parts.motherboard");
  std::string chipset = text_at(facts, "spec.chipset.name");
  std::string given = text_at(facts, "spec.parts.chipset");
  // One label for both ways of naming the platform, so several builds line up in the comparison table.
  if (!board.empty()) {
    parts.emplace_back("Board", board + (chipset.empty() ? " (chipset unknown)" : " -> " + chipset + " chipset"));
  } else {
    parts.emplace_back("Board", given.empty() ? "(none given)" : given + " chipset");
  }
  std::string gpus;
  if (const Json* list = at(facts, "spec.gpus"); list != nullptr && list->is_array()) {
    for (const Json& gpu : *list) {
      std::string line = gpu.value("name", "");
      if (gpu.contains("ids") && gpu["ids"].is_array()) {
        std::string ids;
        for (const Json& id : gpu["ids"]) ids += (ids.empty() ? "" : " ") + id.get<std::string>();
        line += " [" + ids + "]";
      }
      line += gpu.value("role", "") == "passthrough" ? " (pass through)" : " (dom0)";
      gpus += (gpus.empty() ? "" : "; ") + line;
    }
  }
  parts.emplace_back("GPUs", gpus.empty() ? "(none given)" : gpus);
  return parts;
}

}  // namespace

const char* to_string(BuyVerdict verdict) {
  switch (verdict) {
    case BuyVerdict::kCapable:
      return "capable";
    case BuyVerdict::kCaveats:
      return "capable with caveats";
    case BuyVerdict::kNotCapable:
      return "not capable";
    case BuyVerdict::kUnknownPart:
      return "unknown part";
  }
  return "unknown part";
}

int exit_code_for(BuyVerdict verdict) {
  switch (verdict) {
    case BuyVerdict::kCapable:
      return 0;
    case BuyVerdict::kCaveats:
      return 1;
    case BuyVerdict::kNotCapable:
      return 2;
    case BuyVerdict::kUnknownPart:
      return 3;
  }
  return 3;
}

int exit_code_for(const std::vector<BuildAnswer>& answers) {
  int worst = 0;
  for (const BuildAnswer& answer : answers) worst = std::max(worst, exit_code_for(answer.verdict));
  return worst;
}

BuildAnswer answer_build(const RunReport& report) {
  BuildAnswer answer;
  answer.file = text_at(report.facts(), "spec.file");
  answer.name = text_at(report.facts(), "spec.name");
  answer.parts = parts_of(report.facts());
  const RuleResult* failed_blocker = nullptr;
  const RuleResult* open_blocker = nullptr;
  const RuleResult* caveat = nullptr;
  for (const RuleResult& result : report.results) {
    if (!is_spec_rule(result) || result.status == RuleStatus::kSkip) continue;
    answer.decided.push_back(result);
    bool blocker = result.severity == Severity::kBlocker;
    if (blocker && result.status == RuleStatus::kFail && failed_blocker == nullptr) failed_blocker = &result;
    if (blocker && (result.status == RuleStatus::kUnknown || result.status == RuleStatus::kError) &&
        open_blocker == nullptr)
      open_blocker = &result;
    if (result.severity == Severity::kWarning && result.status == RuleStatus::kFail && caveat == nullptr) {
      caveat = &result;
    }
  }
  if (const Json* unknown = at(report.facts(), "spec.unknown_parts"); unknown != nullptr && unknown->is_array()) {
    for (const Json& part : *unknown) {
      answer.unknown_parts.push_back(part.value("part", "") + " " + part.value("problem", "") + ": " +
                                     part.value("how", ""));
    }
  }
  if (const Json* items = at(report.facts(), "spec.checklist"); items != nullptr && items->is_array()) {
    for (const Json& item : *items) answer.checklist.push_back(item.get<std::string>());
  }
  if (failed_blocker != nullptr) {
    answer.verdict = BuyVerdict::kNotCapable;
    answer.headline = "NOT CAPABLE: " + failed_blocker->message;
  } else if (!answer.unknown_parts.empty()) {
    answer.verdict = BuyVerdict::kUnknownPart;
    answer.headline = "UNKNOWN PART: " + answer.unknown_parts.front();
  } else if (open_blocker != nullptr) {
    answer.verdict = BuyVerdict::kUnknownPart;
    answer.headline = "UNKNOWN PART: " + open_blocker->message;
  } else if (caveat != nullptr) {
    answer.verdict = BuyVerdict::kCaveats;
    answer.headline = "CAPABLE WITH CAVEATS: passthrough can work with these parts; read the caveats (!) first";
  } else {
    answer.verdict = BuyVerdict::kCapable;
    answer.headline = "CAPABLE: these parts can do Xen secondary-GPU passthrough once the firmware is set as below";
  }
  return answer;
}

}  // namespace ptdoctor::spec
