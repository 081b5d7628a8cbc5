// Renders pre-purchase answers (text, Markdown, JSON). Kept apart from reports/: a parts list has no host, no
// plugins and no fix plan, and its answer is short by design (one screen per build).
#include <algorithm>
#include <map>

#include "spec/prepurchase.hpp"

namespace ptdoctor::spec {
namespace {

const char* mark(const RuleResult& result) {
  switch (result.status) {
    case RuleStatus::kPass:
      return "✓";
    case RuleStatus::kFail:
      return result.severity == Severity::kBlocker ? "✗" : result.severity == Severity::kWarning ? "!" : "·";
    case RuleStatus::kUnknown:
      return "?";
    case RuleStatus::kError:
      return "E";
    case RuleStatus::kSkip:
      return "-";
  }
  return "?";
}

std::string paint(const std::string& text, BuyVerdict verdict, bool color) {
  if (!color) return text;
  const char* code = verdict == BuyVerdict::kCapable ? "32" : verdict == BuyVerdict::kCaveats ? "33" : "31";
  return std::string("\033[1;") + code + "m" + text + "\033[0m";
}

// A failed warning or blocker shows its first fix on the next line; passes and notes are one line each.
void decided_lines(std::string& out, const BuildAnswer& answer) {
  for (const RuleResult& result : answer.decided) {
    out += "  " + std::string(mark(result)) + " " + result.message + "\n";
    bool caveat = result.status == RuleStatus::kFail && result.severity != Severity::kInfo;
    if (caveat && !result.fixes.empty()) out += "      fix: " + result.fixes.front().text + "\n";
  }
}

std::string one_build(const BuildAnswer& answer, bool color) {
  std::string out =
      "Pre-purchase check: " + answer.name + (answer.name == answer.file ? "" : " (" + answer.file + ")") + "\n";
  for (const auto& [label, value] : answer.parts) {
    std::string padded = label + ":";
    padded.resize(9, ' ');
    out += "  " + padded + value + "\n";
  }
  out += "\n" + paint(answer.headline, answer.verdict, color) + "\n";
  for (std::size_t i = 1; i < answer.unknown_parts.size(); ++i) out += "  also: " + answer.unknown_parts[i] + "\n";
  out += "\nWhat the parts decide:\n";
  decided_lines(out, answer);
  if (answer.verdict != BuyVerdict::kNotCapable) {
    out += "\nOn the built machine:\n";
    for (std::size_t i = 0; i < answer.checklist.size(); ++i) {
      out += "  " + std::to_string(i + 1) + ". " + answer.checklist[i] + "\n";
    }
  }
  out += "\nVerdict: " + std::string(to_string(answer.verdict)) + " (exit " +
         std::to_string(exit_code_for(answer.verdict)) + ")\n";
  return out;
}

std::string cell(const RuleResult* result) {
  if (result == nullptr) return "-";
  switch (result->status) {
    case RuleStatus::kPass:
      return "✓ ok";
    case RuleStatus::kFail:
      return result->severity == Severity::kBlocker   ? "✗ no"
             : result->severity == Severity::kWarning ? "! caveat"
                                                      : "· note";
    case RuleStatus::kUnknown:
      return "? unknown";
    case RuleStatus::kError:
      return "E error";
    case RuleStatus::kSkip:
      return "-";
  }
  return "-";
}

// Display width: the marks are one column each though they take three bytes.
std::size_t width(const std::string& text) {
  std::size_t columns = 0;
  for (unsigned char c : text) columns += (c & 0xC0) != 0x80;
  return columns;
}

std::string pad(std::string text, std::size_t to) {
  if (width(text) > to) {
    while (width(text) > to - 1) text.pop_back();
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
    if (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0xC0) text.pop_back();
    text += "…";
  }
  return text + std::string(to - width(text), ' ');
}

std::string table(const std::vector<BuildAnswer>& answers, bool color) {
  // Rows: the parts, then every spec rule any build decided, in first-seen order, then the verdict.
  std::vector<std::pair<std::string, std::string>> rows;  // {rule id, title}
  for (const BuildAnswer& answer : answers) {
    for (const RuleResult& result : answer.decided) {
      auto seen = std::find_if(rows.begin(), rows.end(), [&](const auto& row) { return row.first == result.rule_id; });
      if (seen == rows.end()) rows.emplace_back(result.rule_id, result.title);
    }
  }
  const std::size_t label = 30, column = 28;
  std::string out = "Pre-purchase comparison of " + std::to_string(answers.size()) + " builds\n\n";
  std::string line = pad("", label);
  for (const BuildAnswer& answer : answers) line += " | " + pad(answer.name, column);
  out += line + "\n";
  for (std::size_t p = 0; p < answers.front().parts.size(); ++p) {
    line = pad(answers.front().parts[p].first, label);
    for (const BuildAnswer& answer : answers) {
      std::string value = p < answer.parts.size() ? answer.parts[p].second : "";
      if (auto resolved = value.rfind(" = "); resolved != std::string::npos) value = value.substr(resolved + 3);
      line += " | " + pad(value, column);
    }
    out += line + "\n";
  }
  for (const auto& [id, title] : rows) {
    line = pad(title, label);
    for (const BuildAnswer& answer : answers) {
      const RuleResult* found = nullptr;
      for (const RuleResult& result : answer.decided) {
        if (result.rule_id == id) found = &result;
      }
      line += " | " + pad(cell(found), column);
    }
    out += line + "\n";
  }
  line = pad("Verdict (exit code)", label);
  for (const BuildAnswer& answer : answers) {
    std::string verdict =
        std::string(to_string(answer.verdict)) + " (" + std::to_string(exit_code_for(answer.verdict)) + ")";
    line += " | " + paint(pad(verdict, column), answer.verdict, color);
  }
  out += line + "\n\n";
  for (const BuildAnswer& answer : answers) out += answer.name + ": " + answer.headline + "\n";
  out += "\nDetails and the checklist for the built machine: ptdoctor check --spec FILE (one build)\n";
  return out;
}

Json result_json(const RuleResult& result) {
  Json fixes = Json::array();
  for (const Fix& fix : result.fixes) fixes.push_back(fix.text);
  return {{"rule_id", result.rule_id},
          {"title", result.title},
          {"severity", to_string(result.severity)},
          {"status", to_string(result.status)},
          {"message", result.message},
          {"why", result.why},
          {"fixes", fixes},
          {"refs", result.refs}};
}

}  // namespace

std::string render_answers_text(const std::vector<BuildAnswer>& answers, bool color) {
  if (answers.size() == 1) return one_build(answers.front(), color);
  return table(answers, color);
}

std::string render_answers_markdown(const std::vector<BuildAnswer>& answers) {
  std::string out;
  for (const BuildAnswer& answer : answers) {
    out += "## " + answer.name + "\n\n**" + answer.headline + "** (exit " +
           std::to_string(exit_code_for(answer.verdict)) + ")\n\n";
    for (const auto& [label, value] : answer.parts) out += "- " + label + ": " + value + "\n";
    out += "\n### What the parts decide\n\n";
    for (const RuleResult& result : answer.decided)
      out += "- " + std::string(mark(result)) + " " + result.message + "\n";
    for (const std::string& part : answer.unknown_parts) out += "- ? " + part + "\n";
    if (answer.verdict != BuyVerdict::kNotCapable) {
      out += "\n### On the built machine\n\n";
      for (std::size_t i = 0; i < answer.checklist.size(); ++i) {
        out += std::to_string(i + 1) + ". " + answer.checklist[i] + "\n";
      }
    }
    out += "\n";
  }
  return out;
}

Json answers_json(const std::vector<BuildAnswer>& answers) {
  Json builds = Json::array();
  for (const BuildAnswer& answer : answers) {
    Json parts = Json::object();
    for (const auto& [label, value] : answer.parts) parts[label] = value;
    Json decided = Json::array();
    for (const RuleResult& result : answer.decided) decided.push_back(result_json(result));
    builds.push_back({{"name", answer.name},
                      {"file", answer.file},
                      {"verdict", to_string(answer.verdict)},
                      {"exit_code", exit_code_for(answer.verdict)},
                      {"headline", answer.headline},
                      {"parts", parts},
                      {"decided", decided},
                      {"unknown_parts", answer.unknown_parts},
                      {"checklist", answer.checklist}});
  }
  return {{"kind", "pre-purchase"}, {"builds", builds}, {"exit_code", exit_code_for(answers)}};
}

}  // namespace ptdoctor::spec
