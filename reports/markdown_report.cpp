// The paste-ready report for a forum post or a bug report, in the text report's order: the verdict, what to do
// first (the root causes with their first fix), then the problems with why and fix, the rest folded away in
// <details> (consequences of a cause, passes, skips, plugins). Every piece of text from the host goes through markdown_escape, so the structure survives any
// message.
#include <string>
#include <vector>

#include "markdown_escape.hpp"
#include "renderers.hpp"
#include "report_outline.hpp"

namespace ptdoctor::reports {
namespace {

std::string marker(const RuleResult& result, const RenderOptions& options) {
  if (!options.unicode) return "";
  switch (result.status) {
    case RuleStatus::kPass: return "✅ ";
    case RuleStatus::kSkip: return "➖ ";
    case RuleStatus::kUnknown: return "❔ ";
    case RuleStatus::kError: return "⛔ ";
    case RuleStatus::kFail:
      if (result.severity == Severity::kBlocker) return "❌ ";
      return result.severity == Severity::kWarning ? "⚠️ " : "ℹ️ ";
  }
  return "";
}

std::string text_or_title(const RuleResult& result, bool table_cell = false) {
  return markdown_text(result.message.empty() ? result.title : result.message, table_cell);
}

// "- ❌ **`gpu.flr`** on `0000:08:00.0`: message" and the why/fix/refs as a nested list.
void problem_item(std::string& out, const RunReport& report, const RuleResult& result, const RenderOptions& options) {
  out += "- " + marker(result, options) + "**" + markdown_code(result.rule_id) + "**";
  if (!result.subject.empty()) out += " on " + markdown_code(result.subject);
  out += ": " + text_or_title(result) + "\n";
  if (!result.message.empty() && !result.title.empty()) out += "  - Rule: " + markdown_text(result.title) + "\n";
  if (result.status == RuleStatus::kUnknown) {
    for (const std::string& reason : missing_fact_reasons(report, result)) {
      out += "  - Unknown: " + markdown_text(reason) + "\n";
    }
  }
  if (!result.why.empty()) out += "  - Why: " + markdown_text(result.why) + "\n";
  for (const Fix& fix : result.fixes) out += "  - Fix: " + markdown_text(fix.text) + "\n";
  if (!result.refs.empty()) {
    out += "  - See:";
    for (std::size_t i = 0; i < result.refs.size(); ++i) {
      out += (i == 0 ? " " : ", ") + markdown_text(result.refs[i]);
    }
    out += "\n";
  }
}

void problem_list(std::string& out, const RunReport& report, std::string_view heading,
                  const std::vector<const RuleResult*>& results, const RenderOptions& options) {
  if (results.empty()) return;
  out += "\n### " + std::string(heading) + " (" + std::to_string(results.size()) + ")\n\n";
  for (const RuleResult* result : results) problem_item(out, report, *result, options);
}

// "## What to do first": the root causes as a numbered list, each with its first fix and what follows from it.
void first_steps(std::string& out, const std::vector<Cause>& causes, const RenderOptions& options) {
  if (causes.empty()) return;
  out += "## What to do first\n\n";
  int number = 0;
  for (const Cause& cause : causes) {
    const RuleResult& result = *cause.result;
    out += std::to_string(++number) + ". " + marker(result, options) + "**" + markdown_code(result.rule_id) + "**";
    if (!result.subject.empty()) out += " on " + markdown_code(result.subject);
    out += ": " + text_or_title(result) + "\n";
    if (!result.fixes.empty()) out += "   - Fix: " + markdown_text(result.fixes.front().text) + "\n";
    if (!cause.consequences.empty()) {
      std::string ids;
      for (const RuleResult* consequence : cause.consequences) {
        std::string id = markdown_code(consequence->rule_id);
        if (ids.find(id) == std::string::npos) ids += (ids.empty() ? "" : ", ") + id;
      }
      out += "   - Then " + std::to_string(cause.consequences.size()) + " more follow from it: " + ids + "\n";
    }
  }
  out += "\n";
}

// Problems that are not consequences of a cause (those are listed under their cause and folded below).
std::vector<const RuleResult*> own_causes(std::vector<const RuleResult*> results) {
  std::erase_if(results, [](const RuleResult* result) { return is_consequence(*result); });
  return results;
}

void summary_table(std::string& out, const RunReport& report) {
  const Summary& summary = report.summary;
  out += "| Result | Count |\n| --- | ---: |\n";
  auto row = [&out](std::string_view label, int count) {
    out += "| " + std::string(label) + " | " + std::to_string(count) + " |\n";
  };
  row("Passed", summary.pass);
  row("Failed: blockers", summary.blockers_failed);
  row("Failed: warnings", summary.warnings_failed);
  row("Failed: info", summary.fail - summary.blockers_failed - summary.warnings_failed);
  row("Unknown", summary.unknown);
  row("Error", summary.error);
  row("Skipped", summary.skip);
}

void details_table(std::string& out, std::string_view summary_text, const std::vector<const RuleResult*>& results,
                   const RenderOptions& options) {
  if (results.empty()) return;
  out += "\n<details>\n<summary>" + std::string(summary_text) + " (" + std::to_string(results.size()) +
         ")</summary>\n\n| Rule | Subject | Result |\n| --- | --- | --- |\n";
  for (const RuleResult* result : results) {
    out += "| " + marker(*result, options) + markdown_code(result->rule_id) + " | " +
           (result->subject.empty() ? "" : markdown_code(result->subject)) + " | " + text_or_title(*result, true) + " |\n";
  }
  out += "\n</details>\n";
}

void plugins_and_diagnostics(std::string& out, const RunReport& report) {
  if (report.plugins.empty() && report.diagnostics.empty()) return;
  int failed = 0;
  for (const PluginRun& run : report.plugins) failed += run.ok ? 0 : 1;
  out += "\n<details>\n<summary>Plugins (" + std::to_string(report.plugins.size()) + ", " +
         std::to_string(failed) + " failed) and diagnostics (" + std::to_string(report.diagnostics.size()) +
         ")</summary>\n\n";
  if (!report.plugins.empty()) {
    out += "| Plugin | Version | Status |\n| --- | --- | --- |\n";
    for (const PluginRun& run : report.plugins) {
      out += "| " + markdown_code(run.name) + " | " + markdown_inline(run.version) + " | " +
             (run.ok ? std::string("ok") : "failed: " + markdown_text(run.error, true)) + " |\n";
    }
    out += "\n";
  }
  for (const Diagnostic& diagnostic : report.diagnostics) {
    out += "- **" + markdown_inline(diagnostic.level) + "**";
    if (!diagnostic.origin.empty()) out += " (" + markdown_inline(diagnostic.origin) + ")";
    out += ": " + markdown_text(diagnostic.message) + "\n";
  }
  if (!report.diagnostics.empty()) out += "\n";
  out += "</details>\n";
}

}  // namespace

std::string render_markdown(const RunReport& report, const RenderOptions& options) {
  std::string out = "# ptdoctor: " + markdown_inline(verdict_headline(report)) +
                    " for Xen secondary-GPU passthrough\n\n";
  std::vector<Cause> causes = root_causes(report.results);
  out += "**Verdict:** `" + std::string(to_string(report.verdict)) + "`: " + markdown_inline(verdict_reason(report)) +
         ".";
  if (std::string sentence = causes_sentence(causes); !sentence.empty()) out += " " + markdown_inline(sentence) + ".";
  out += "\n\n";
  out += "**Host:** " + markdown_inline(host_sentence(report.host)) + ". ptdoctor " +
         markdown_inline(report.tool_version.empty() ? "?" : report.tool_version);
  if (!report.generated_at.empty()) out += ", " + markdown_inline(report.generated_at);
  out += ".\n\n";
  if (!report.plugin_problems.empty()) {
    out += "**" + std::string(kPluginProblemsHeading) + ":**\n\n";
    for (const PluginProblem& problem : report.plugin_problems) {
      out += "- " + markdown_code(problem.name) + ": " + to_string(problem.kind) + ": " +
             markdown_text(problem.reason) + "\n";
    }
    out += "\n" + markdown_text(plugin_problems_advice(report.plugin_problems)) + "\n\n";
  }
  first_steps(out, causes, options);
  summary_table(out, report);

  std::vector<const RuleResult*> blockers = own_causes(failures(report.results, Severity::kBlocker));
  std::vector<const RuleResult*> warnings = own_causes(failures(report.results, Severity::kWarning));
  std::vector<const RuleResult*> infos = own_causes(failures(report.results, Severity::kInfo));
  out += "\n## Problems\n";
  if (report.results.empty()) {
    out += "\nNo rule was evaluated.\n";
  } else if (blockers.empty() && warnings.empty() && infos.empty()) {
    out += "\nNo rule failed.\n";
  }
  problem_list(out, report, "Blockers", blockers, options);
  problem_list(out, report, "Warnings", warnings, options);
  problem_list(out, report, "Notes", infos, options);

  std::vector<const RuleResult*> undecided = own_causes(with_status(report.results, RuleStatus::kUnknown));
  std::vector<const RuleResult*> errors = own_causes(with_status(report.results, RuleStatus::kError));
  undecided.insert(undecided.end(), errors.begin(), errors.end());
  if (!undecided.empty()) {
    out += "\n## Could not be decided (" + std::to_string(undecided.size()) + ")\n\n";
    for (const RuleResult* result : undecided) problem_item(out, report, *result, options);
  }
  if (!report.unknown_reasons.empty()) {
    out += "\n<details>\n<summary>Facts that could not be collected (" +
           std::to_string(report.unknown_reasons.size()) + ")</summary>\n\n";
    for (const auto& [path, reason] : report.unknown_reasons) {
      out += "- " + markdown_code(path) + ": " + markdown_text(reason) + "\n";
    }
    out += "\n</details>\n";
  }

  std::vector<const RuleResult*> consequences;
  for (const RuleResult& result : report.results) {
    if (is_consequence(result)) consequences.push_back(&result);
  }
  details_table(out, "Follow from a cause above", consequences, options);
  details_table(out, "Passed", with_status(report.results, RuleStatus::kPass), options);
  details_table(out, "Skipped (not applicable)", with_status(report.results, RuleStatus::kSkip), options);
  plugins_and_diagnostics(out, report);
  out += "\n" + markdown_text(next_steps_sentence(report)) + "\n";
  return out;
}

}  // namespace ptdoctor::reports
