// The paste-ready report for a forum post or a bug report, in the text report's order: the verdict, damaged inputs,
// what to do first (the root causes with their first fix), then the problems with their fixes. By default it is
// compact, to fit one forum post (Discourse's default limit is 32,000 characters): no why (`ptdoctor explain`
// gives it), passes, skips and consequences counted in one line. `--all` (options.verbose) adds the why, every
// reference and the folded <details> tables. Every piece of text from the host goes through markdown_escape, so
// the structure survives any message.
#include <algorithm>
#include <string>
#include <vector>

#include "markdown_escape.hpp"
#include "renderers.hpp"
#include "report_outline.hpp"

namespace ptdoctor::reports {
namespace {

// Rules named after the damaged inputs; "## Could not be decided" lists all of them.
constexpr std::size_t kUndecidedNamed = 8;

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

// "**`gpu.flr`** on `0000:08:00.0`: message", or for a finding about several subjects "**`usb.rmrr-shared`**: title:
// fails for a, b and c" (the subjects' own messages follow as a nested list).
std::string finding_line(const Finding& finding, const RenderOptions& options) {
  const RuleResult& result = finding.first();
  std::string line = marker(result, options) + "**" + markdown_code(result.rule_id) + "**";
  if (!finding.grouped() && !subject_note(result).empty()) line += " on " + markdown_code(result.subject);
  return line + ": " + markdown_text(finding_headline(finding));
}

// "- ❌ **`gpu.flr`** on `0000:08:00.0`: message" and the fixes as a nested list; with --all also the rule's title,
// the why and every reference.
void problem_item(std::string& out, const RunReport& report, const Finding& finding, const RenderOptions& options) {
  const RuleResult& result = finding.first();
  out += "- " + finding_line(finding, options) + "\n";
  if (finding.grouped()) {
    for (const RuleResult* each : finding.results) {
      std::string note = subject_note(*each);
      out += "  - " + (note.empty() ? "" : markdown_code(note) + ": ") + text_or_title(*each) + "\n";
    }
  }
  if (options.verbose && !finding.grouped() && !result.message.empty() && !result.title.empty()) {
    out += "  - Rule: " + markdown_text(result.title) + "\n";
  }
  for (const std::string& reason : finding_missing_reasons(report, finding)) {
    out += "  - Unknown: " + markdown_text(reason) + "\n";
  }
  if (options.verbose && !result.why.empty()) out += "  - Why: " + markdown_text(result.why) + "\n";
  for (const std::string& fix : finding_fixes(finding)) out += "  - Fix: " + markdown_text(fix) + "\n";
  std::size_t refs = options.verbose ? result.refs.size() : std::min<std::size_t>(result.refs.size(), 1);
  if (refs > 0) {
    out += "  - See:";
    for (std::size_t i = 0; i < refs; ++i) out += (i == 0 ? " " : ", ") + markdown_text(result.refs[i]);
    out += "\n";
  }
}

void problem_list(std::string& out, const RunReport& report, std::string_view heading,
                  const std::vector<const RuleResult*>& results, const RenderOptions& options) {
  if (results.empty()) return;
  std::vector<Finding> findings = group_findings(results);
  out += "\n### " + std::string(heading) + " (" + std::to_string(findings.size()) + ")\n\n";
  for (const Finding& finding : findings) problem_item(out, report, finding, options);
}

// "## What to do first": the root causes as a numbered list, each with its first fix and what follows from it.
void first_steps(std::string& out, const std::vector<CauseFinding>& steps, const RenderOptions& options) {
  if (steps.empty()) return;
  out += "## What to do first\n\n";
  std::size_t number = 0;
  for (const CauseFinding& step : steps) {
    // Compact: the first few, as the text report; the problem sections below list every one.
    if (!options.verbose && number == kFirstCauses) {
      out += "\n" + count_of(static_cast<int>(steps.size() - number), "more cause", "more causes") +
             " in the sections below.\n";
      break;
    }
    out += std::to_string(++number) + ". " + finding_line(step.finding, options) + "\n";
    std::vector<std::string> fixes = finding_fixes(step.finding);
    if (!fixes.empty()) out += "   - Fix: " + markdown_text(fixes.front()) + "\n";
    if (!step.consequences.empty()) {
      std::string ids;
      for (const RuleResult* consequence : step.consequences) {
        std::string id = markdown_code(consequence->rule_id);
        if (ids.find(id) == std::string::npos) ids += (ids.empty() ? "" : ", ") + id;
      }
      out += "   - Then " + std::to_string(step.consequences.size()) + " more follow from it: " + ids + "\n";
    }
  }
  out += "\n";
}

// Under the verdict on a host whose inputs could not be read cleanly: those inputs, then what that left undecided.
void damaged_inputs_section(std::string& out, const RunReport& report) {
  std::vector<DamagedInput> inputs = damaged_inputs(report);
  if (inputs.empty()) return;
  out += "**" + std::string(kDamagedInputsHeading) + ":**\n\n";
  for (const DamagedInput& input : inputs) {
    out += "- " + markdown_code(input.input) + ": " + count_of(input.problems, "problem", "problems") + "\n";
  }
  out += "\n" + markdown_text(kDamagedInputsAdvice);
  if (std::string undecided = undecided_rules_text(report.results, kUndecidedNamed); !undecided.empty()) {
    out += " Could not be judged: " + markdown_inline(undecided) + ".";
  }
  out += "\n\n";
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

// Compact: what --all would list in tables, counted in one sentence.
void folded_line(std::string& out, const RunReport& report) {
  int consequences = 0;
  for (const RuleResult& result : report.results) consequences += is_consequence(result) ? 1 : 0;
  std::vector<std::string> parts;
  if (consequences > 0) parts.push_back(std::to_string(consequences) + " follow from a cause above");
  if (report.summary.pass > 0) parts.push_back(std::to_string(report.summary.pass) + " passed");
  if (report.summary.skip > 0) parts.push_back(std::to_string(report.summary.skip) + " skipped (not applicable)");
  if (!report.unknown_reasons.empty()) {
    parts.push_back(count_of(static_cast<int>(report.unknown_reasons.size()), "fact", "facts") +
                    " could not be collected");
  }
  if (parts.empty()) return;
  out += "\nNot listed here: " + joined(parts) + "; " +
         markdown_text("`ptdoctor check --all --format markdown` lists them, `ptdoctor explain RULE-ID` says why a "
                       "rule matters.") + "\n";
}

void plugins_and_diagnostics(std::string& out, const RunReport& report, const RenderOptions& options) {
  if (report.plugins.empty() && report.diagnostics.empty()) return;
  int failed = 0;
  for (const PluginRun& run : report.plugins) failed += run.ok ? 0 : 1;
  if (!options.verbose) {
    // Compact: the warnings and errors that say what is wrong in each damaged input; the plugin table and the
    // informational notes only with --all.
    std::vector<const Diagnostic*> shown;
    for (const Diagnostic& diagnostic : report.diagnostics) {
      if (diagnostic.level == "warning" || diagnostic.level == "error") shown.push_back(&diagnostic);
    }
    if (shown.empty() && failed == 0) return;
    out += "\n<details>\n<summary>Diagnostics (" + std::to_string(shown.size() + static_cast<std::size_t>(failed)) +
           ")</summary>\n\n";
    for (const PluginRun& run : report.plugins) {
      if (!run.ok) out += "- **plugin " + markdown_inline(run.name) + " failed**: " + markdown_text(run.error) + "\n";
    }
    for (const Diagnostic* diagnostic : shown) {
      out += "- **" + markdown_inline(diagnostic->level) + "**";
      if (!diagnostic->origin.empty()) out += " (" + markdown_inline(diagnostic->origin) + ")";
      out += ": " + markdown_text(diagnostic->message) + "\n";
    }
    out += "\n</details>\n";
    return;
  }
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
  damaged_inputs_section(out, report);
  first_steps(out, group_causes(causes), options);
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
    std::vector<Finding> findings = group_findings(undecided);
    out += "\n## Could not be decided (" + std::to_string(findings.size()) + ")\n\n";
    for (const Finding& finding : findings) problem_item(out, report, finding, options);
  }
  if (!options.verbose) {
    folded_line(out, report);
    plugins_and_diagnostics(out, report, options);
    out += "\n" + markdown_text(next_steps_sentence(report)) + "\n";
    return out;
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
  plugins_and_diagnostics(out, report, options);
  out += "\n" + markdown_text(next_steps_sentence(report)) + "\n";
  return out;
}

}  // namespace ptdoctor::reports
