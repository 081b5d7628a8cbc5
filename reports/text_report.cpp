// The terminal report, answer first: the verdict, then "what to do first" (the root causes in the order to act,
// each with its first fix and what follows from it), then the details per topic (one line per problem with why
// and fix under it, like `flutter doctor` and virt-host-validate). Passes, skips, info notes and consequences
// of a cause are counted unless -v asks for every result.
#include <algorithm>
#include <string>
#include <vector>

#include "renderers.hpp"
#include "report_outline.hpp"
#include "text_cleaning.hpp"

namespace ptdoctor::reports {
namespace {

// With a hanging indent, a line keeps at least this many columns for its text, whatever the page width.
constexpr std::size_t kMinimumRoom = 30;
constexpr std::size_t kMaxIdColumn = 34;
constexpr std::string_view kDetailIndent = "        ";
// Rules named in "Could not be judged:" under the damaged inputs; the details list all of them.
constexpr std::size_t kUndecidedNamed = 8;

enum class Tone { kPlain, kGood, kBad, kWarn, kNote, kStrong };

class TextWriter {
 public:
  explicit TextWriter(const RenderOptions& options) : options_(options) {}

  std::string paint(std::string_view text, Tone tone, bool bold = false) const {
    if (!options_.color || tone == Tone::kPlain) return std::string(text);
    std::string code;
    switch (tone) {
      case Tone::kGood: code = "32"; break;
      case Tone::kBad: code = "31"; break;
      case Tone::kWarn: code = "33"; break;
      case Tone::kNote: code = "36"; break;
      case Tone::kStrong: code = "1"; break;
      case Tone::kPlain: break;
    }
    if (bold && tone != Tone::kStrong) code = "1;" + code;
    return "\x1b[" + code + "m" + std::string(text) + "\x1b[0m";
  }

  // A labelled block ("why: ...") wrapped to the page, continuation lines aligned under the text. The label is
  // ours (it may hold colour codes); the text is untrusted and cleaned here.
  void labelled(std::string_view label, std::string_view untrusted, std::string_view indent = kDetailIndent) {
    std::string head = std::string(indent) + std::string(label) + (label.empty() ? "" : " ");
    std::size_t head_width = visible_width(head);
    bool first = true;
    for (const std::string& line : wrap_words(clean_text(untrusted), room(head_width))) {
      out_ += (first ? head : std::string(head_width, ' ')) + line + "\n";
      first = false;
    }
  }

  // Width on screen of text built here: our own SGR sequences take no room (untrusted text holds no ESC after
  // clean_text).
  static std::size_t visible_width(std::string_view text) {
    std::string plain;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\x1b') {
        i = text.find('m', i);
        if (i == std::string_view::npos) break;
        continue;
      }
      plain += text[i];
    }
    return display_width(plain);
  }

  // Columns left for text after a head of `head_width`; options.width 0 (not a terminal) means no wrapping.
  std::size_t room(std::size_t head_width) const {
    if (options_.width == 0) return std::string::npos;
    return options_.width > head_width + kMinimumRoom ? options_.width - head_width : kMinimumRoom;
  }

  void line(std::string_view text = "") { out_ += std::string(text) + "\n"; }
  const RenderOptions& options() const { return options_; }
  std::string take() { return std::move(out_); }

 private:
  const RenderOptions& options_;
  std::string out_;
};

struct Marker {
  std::string_view unicode;
  std::string_view ascii;
  Tone tone;
};

Marker marker_for(const RuleResult& result) {
  switch (result.status) {
    case RuleStatus::kPass: return {"✓", "[ok]", Tone::kGood};
    case RuleStatus::kSkip: return {"-", "[skip]", Tone::kPlain};
    case RuleStatus::kUnknown: return {"?", "[?]", Tone::kNote};
    case RuleStatus::kError: return {"E", "[ERR]", Tone::kBad};
    case RuleStatus::kFail: break;
  }
  switch (result.severity) {
    case Severity::kBlocker: return {"✗", "[FAIL]", Tone::kBad};
    case Severity::kWarning: return {"!", "[warn]", Tone::kWarn};
    case Severity::kInfo: return {"i", "[info]", Tone::kNote};
  }
  return {"?", "[?]", Tone::kNote};
}

constexpr std::size_t kAsciiMarkerWidth = 6;  // "[FAIL]", "[skip]"

std::string marker_text(const TextWriter& writer, const Marker& marker) {
  if (writer.options().unicode) return writer.paint(marker.unicode, marker.tone);
  std::string padded(marker.ascii);
  padded.resize(std::max(padded.size(), kAsciiMarkerWidth), ' ');
  // Pad outside the colour so the escape codes do not count towards the width.
  return writer.paint(marker.ascii, marker.tone) + padded.substr(marker.ascii.size());
}

// Default view: the causes and undecided non-info problems. Passes, skips, info notes and consequences of a
// cause are folded into counts; -v shows every result.
bool shown(const RuleResult& result, const RenderOptions& options) {
  if (options.verbose) return true;
  if (!is_problem(result) || is_consequence(result)) return false;
  return result.severity != Severity::kInfo || result.status == RuleStatus::kError;  // a rule error is a bug: say it
}

// A finding's line: its message (or, for several subjects, the rule's title and the subjects), with the subject in
// brackets when the message does not already name it and no `subject:` line follows.
std::string headline_text(const Finding& finding, bool subject_in_brackets) {
  std::string text = clean_line(finding_headline(finding));
  std::string subject = finding.grouped() || !subject_in_brackets ? "" : subject_note(finding.first());
  return subject.empty() ? text : text + " [" + clean_line(subject) + "]";
}

void write_header(TextWriter& writer, const RunReport& report) {
  writer.line(writer.paint("ptdoctor " + clean_line(report.tool_version) +
                               ": Xen secondary-GPU passthrough readiness", Tone::kStrong));
  writer.labelled("Host:", clean_line(host_sentence(report.host)), "");
  if (!report.generated_at.empty()) writer.line("Checked: " + clean_line(report.generated_at));
  // The device under test, named before any verdict about it (ux-review 13), once: the reason usually names it.
  const Json* gpu = report.facts().is_object() && report.facts().contains("gpu") ? &report.facts()["gpu"] : nullptr;
  if (gpu && gpu->is_object()) {
    const Json target = gpu->value("target", Json());
    const Json reason = gpu->value("target_reason", Json());
    const std::string why = reason.is_string() ? reason.get<std::string>() : "";
    if (target.is_string()) {
      const std::string bdf = target.get<std::string>();
      writer.labelled("Target GPU:", clean_line(why.find(bdf) != std::string::npos ? why
                                                : why.empty() ? bdf : bdf + " (" + why + ")"), "");
    } else if (!why.empty()) {
      writer.labelled("Target GPU:", clean_line("none (" + why + ")"), "");
    }
  }
}

Tone verdict_tone(Verdict verdict) {
  switch (verdict) {
    case Verdict::kReady: return Tone::kGood;
    case Verdict::kWarnings: return Tone::kWarn;
    case Verdict::kUnknown: return Tone::kNote;
    case Verdict::kNotReady: break;
  }
  return Tone::kBad;
}

// The answer first: the verdict, and how many causes the problems come down to.
void write_verdict(TextWriter& writer, const RunReport& report, const std::vector<Cause>& causes) {
  writer.line();
  writer.labelled(writer.paint(std::string("Verdict: ") + verdict_headline(report),
                               verdict_tone(report.verdict), true) + ":",
                  verdict_reason(report) + ".", "");
  if (std::string sentence = causes_sentence(causes); !sentence.empty()) writer.labelled("", sentence + ".", "");
}

// Right under the verdict: a plugin the rules need that did not run explains every unknown that follows.
void write_plugin_problems(TextWriter& writer, const RunReport& report) {
  if (report.plugin_problems.empty()) return;
  writer.line();
  writer.line(writer.paint(std::string(kPluginProblemsHeading), Tone::kStrong));
  for (const PluginProblem& problem : report.plugin_problems) {
    writer.labelled(marker_text(writer, {"E", "[ERR]", Tone::kBad}), plugin_problem_line(problem), "  ");
  }
  writer.labelled("", plugin_problems_advice(report.plugin_problems), "  ");
}

// Right under the verdict on a host with damaged inputs: the inputs first, as the cause of what could not be
// judged, then which rules that left undecided; the diagnostics at the end give each problem.
void write_damaged_inputs(TextWriter& writer, const RunReport& report) {
  std::vector<DamagedInput> inputs = damaged_inputs(report);
  if (inputs.empty()) return;
  writer.line();
  writer.line(writer.paint(std::string(kDamagedInputsHeading), Tone::kStrong));
  for (const DamagedInput& input : inputs) {
    writer.labelled(marker_text(writer, {"!", "[warn]", Tone::kWarn}),
                    input.input + ": " + count_of(input.problems, "problem", "problems"), "  ");
  }
  writer.labelled("", std::string(kDamagedInputsAdvice), "  ");
  if (std::string undecided = undecided_rules_text(report.results, kUndecidedNamed); !undecided.empty()) {
    writer.labelled("Could not be judged:", undecided, "  ");
  }
}

// "a, b, c and 6 more": names up to `shown` rule ids of a list.
std::string id_list(const std::vector<const RuleResult*>& results, std::size_t shown_ids) {
  std::string text;
  std::size_t named = 0;
  std::vector<std::string> seen;
  for (const RuleResult* result : results) {
    std::string id = clean_line(result->rule_id);
    if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
    seen.push_back(id);
    if (named < shown_ids) text += (named++ == 0 ? "" : ", ") + id;
  }
  if (seen.size() > named) text += " and " + std::to_string(seen.size() - named) + " more";
  return text;
}

// "3 more problems follow from it: a, b, c" naming up to `shown_ids` of them.
std::string follow_sentence(const std::vector<const RuleResult*>& consequences, std::size_t shown_ids) {
  return count_of(static_cast<int>(consequences.size()), "more problem follows", "more problems follow") +
         " from it: " + id_list(consequences, shown_ids);
}

// Every blocker or warning that follows from a cause, by name, and the info notes counted: "2 more problems follow
// from it: a, b, and 18 info notes" (18 guide options named one by one would bury the two that matter).
std::string all_that_follow(const std::vector<const RuleResult*>& consequences) {
  std::vector<const RuleResult*> named;
  for (const RuleResult* result : consequences) {
    if (result->severity != Severity::kInfo) named.push_back(result);
  }
  int infos = static_cast<int>(consequences.size() - named.size());
  if (named.empty()) return count_of(infos, "info note follows", "info notes follow") + " from it";
  return follow_sentence(named, named.size()) + (infos > 0 ? ", and " + count_of(infos, "info note", "info notes") : "");
}

// "What to do first": each cause with its first fix and what follows from it, in the order to act. The causes of
// one finding (one rule failing the same way for several devices) are one step.
void write_first_steps(TextWriter& writer, const std::vector<CauseFinding>& steps) {
  if (steps.empty()) return;
  writer.line();
  writer.line(writer.paint("What to do first", Tone::kStrong));
  std::size_t number = 0;
  for (const CauseFinding& step : steps) {
    if (number == kFirstCauses) break;
    const RuleResult& result = step.finding.first();
    std::string head = "  " + std::to_string(++number) + ". " + marker_text(writer, marker_for(result)) + " " +
                       clean_line(result.rule_id) + ":";
    writer.labelled(head, headline_text(step.finding, true), "");
    std::string_view indent = "       ";
    std::vector<std::string> fixes = finding_fixes(step.finding);
    if (!fixes.empty()) writer.labelled("fix:", fixes.front(), indent);
    if (!step.consequences.empty()) {
      // One line: the first blocker or warning that follows, by name; the details name all of them.
      std::vector<const RuleResult*> named;
      for (const RuleResult* consequence : step.consequences) {
        if (consequence->severity != Severity::kInfo) named.push_back(consequence);
      }
      writer.labelled("then:", named.empty() ? all_that_follow(step.consequences) : follow_sentence(named, 1),
                      indent);
    }
  }
  if (steps.size() > number) {
    writer.labelled("", count_of(static_cast<int>(steps.size() - number), "more cause", "more causes") +
                            " in the details below.", "  ");
  }
}

// `consequences`: when the finding is a cause, the problems that follow from it; the details name every one, so
// each folded problem can be found under its cause. A finding about several subjects lists each one's message
// under its line, and says why, how to fix and where to read once.
void write_finding(TextWriter& writer, const RunReport& report, const Finding& finding, std::size_t id_width,
                   const std::vector<const RuleResult*>& consequences) {
  const RuleResult& result = finding.first();
  std::string id = clean_line(result.rule_id);
  std::string padding(id_width > display_width(id) ? id_width - display_width(id) : 0, ' ');
  std::string head = "  " + marker_text(writer, marker_for(result)) + " " + id + padding + "  ";
  std::size_t head_width = TextWriter::visible_width(head);
  const bool problem = is_problem(result);
  std::vector<std::string> lines = wrap_words(headline_text(finding, !problem), writer.room(head_width));
  writer.line(head + lines.front());
  for (std::size_t i = 1; i < lines.size(); ++i) writer.line(std::string(head_width, ' ') + lines[i]);
  if (!problem) return;
  if (finding.grouped()) {
    for (const RuleResult* each : finding.results) {
      std::string subject = subject_note(*each);
      writer.labelled("-", (subject.empty() ? "" : subject + ": ") + finding_headline(Finding{{each}}));
    }
  } else if (std::string subject = subject_note(result); !subject.empty()) {
    writer.labelled("subject:", clean_line(subject));
  }
  if (!result.caused_by.empty()) writer.labelled("follows from:", clean_line(result.caused_by));
  for (const std::string& reason : finding_missing_reasons(report, finding)) writer.labelled("unknown:", reason);
  if (!result.why.empty()) writer.labelled("why:", result.why);
  for (const std::string& fix : finding_fixes(finding)) writer.labelled("fix:", fix);
  for (const std::string& ref : result.refs) writer.labelled("see:", clean_line(ref));
  if (!consequences.empty()) writer.labelled("then:", all_that_follow(consequences));
}

// What a topic folded away: "3 passed, 2 skipped (not applicable), 4 info notes, 5 consequences of a cause above";
// "" when nothing was folded.
std::string folded_text(const std::vector<const RuleResult*>& folded) {
  int passed = 0, skipped = 0, infos = 0, consequences = 0;
  for (const RuleResult* result : folded) {
    if (result->status == RuleStatus::kPass) {
      ++passed;
    } else if (result->status == RuleStatus::kSkip) {
      ++skipped;
    } else if (is_consequence(*result)) {
      ++consequences;
    } else {
      ++infos;
    }
  }
  std::vector<std::string> parts;
  if (passed > 0) parts.push_back(std::to_string(passed) + " passed");
  if (skipped > 0) parts.push_back(std::to_string(skipped) + " skipped (not applicable)");
  if (infos > 0) parts.push_back(count_of(infos, "info note", "info notes"));
  if (consequences > 0) parts.push_back(count_of(consequences, "consequence", "consequences") + " of a cause above");
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : ", ") + part;
  return text;
}

bool any_passed(const std::vector<const RuleResult*>& results) {
  return std::any_of(results.begin(), results.end(),
                     [](const RuleResult* result) { return result->status == RuleStatus::kPass; });
}

void write_folded(TextWriter& writer, const std::vector<const RuleResult*>& folded) {
  std::string text = folded_text(folded);
  if (text.empty()) return;
  Marker marker = any_passed(folded) ? Marker{"✓", "[ok]", Tone::kGood} : Marker{"-", "[skip]", Tone::kPlain};
  writer.labelled("  " + marker_text(writer, marker), text, "");
}

// The default view spends no lines on topics with nothing to read: a topic whose results are all folded gets one
// line under "Also checked", and one whose rules were all not applicable (no --spec, no domU config) none; the
// footer's counts still include them, and -v shows every topic in full.
void write_results(TextWriter& writer, const RunReport& report, const std::vector<Cause>& causes) {
  const bool verbose = writer.options().verbose;
  std::size_t id_width = 0;
  for (const RuleResult& result : report.results) {
    if (shown(result, writer.options())) id_width = std::max(id_width, display_width(clean_line(result.rule_id)));
  }
  id_width = std::min(id_width, kMaxIdColumn);
  std::vector<std::pair<std::string, std::vector<const RuleResult*>>> quiet_topics;
  for (const Topic& topic : group_by_topic(report.results)) {
    std::vector<const RuleResult*> shown_here, folded;
    for (const RuleResult* result : topic.results) {
      (shown(*result, writer.options()) ? shown_here : folded).push_back(result);
    }
    if (!verbose && shown_here.empty()) {
      bool all_skipped = std::all_of(folded.begin(), folded.end(), [](const RuleResult* result) {
        return result->status == RuleStatus::kSkip;
      });
      if (!all_skipped) quiet_topics.emplace_back(clean_line(topic.title), std::move(folded));
      continue;
    }
    writer.line();
    writer.line(writer.paint(clean_line(topic.title), Tone::kStrong));
    for (const Finding& finding : group_findings(shown_here)) {
      write_finding(writer, report, finding, id_width, consequences_of(finding, causes));
    }
    write_folded(writer, folded);
  }
  if (quiet_topics.empty()) return;
  writer.line();
  writer.line(writer.paint("Also checked, nothing to read", Tone::kStrong));
  for (const auto& [title, folded] : quiet_topics) {
    Marker marker = any_passed(folded) ? Marker{"✓", "[ok]", Tone::kGood} : Marker{"-", "[skip]", Tone::kPlain};
    writer.labelled("  " + marker_text(writer, marker) + " " + title + ":", folded_text(folded), "");
  }
}

void write_plugins_and_diagnostics(TextWriter& writer, const RunReport& report) {
  bool any_failed = std::any_of(report.plugins.begin(), report.plugins.end(),
                                [](const PluginRun& run) { return !run.ok; });
  if (any_failed) {
    writer.line();
    writer.line(writer.paint("Plugin errors", Tone::kStrong));
    for (const PluginRun& run : report.plugins) {
      if (run.ok) continue;
      std::string name = clean_line(run.name) + (run.version.empty() ? "" : " " + clean_line(run.version));
      writer.labelled(marker_text(writer, {"E", "[ERR]", Tone::kBad}) + " " + name + ":",
                      run.error.empty() ? "failed without saying why" : run.error, "  ");
    }
  }
  std::vector<const Diagnostic*> shown_diagnostics;
  int hidden_info = 0;
  for (const Diagnostic& diagnostic : report.diagnostics) {
    bool info = diagnostic.level != "error" && diagnostic.level != "warning";
    if (info && !writer.options().verbose) {
      ++hidden_info;
    } else {
      shown_diagnostics.push_back(&diagnostic);
    }
  }
  if (shown_diagnostics.empty() && hidden_info == 0) return;
  writer.line();
  writer.line(writer.paint("Diagnostics", Tone::kStrong));
  for (const Diagnostic* diagnostic : shown_diagnostics) {
    Marker marker = diagnostic->level == "error"     ? Marker{"E", "[ERR]", Tone::kBad}
                    : diagnostic->level == "warning" ? Marker{"!", "[warn]", Tone::kWarn}
                                                     : Marker{"i", "[info]", Tone::kNote};
    std::string origin = diagnostic->origin.empty() ? "" : " " + clean_line(diagnostic->origin) + ":";
    writer.labelled(marker_text(writer, marker) + origin, diagnostic->message, "  ");
  }
  if (hidden_info > 0) {
    writer.labelled("", count_of(hidden_info, "informational note", "informational notes") +
                            " not shown (-v shows them)", "  ");
  }
}

// Each sentence on its own line, so wrapping at the page width never splits "-v shows every result".
void write_footer(TextWriter& writer, const RunReport& report) {
  writer.line();
  writer.labelled("", counts_sentence(report.summary) + ".", "");
  if (!writer.options().verbose) {
    writer.labelled("", "Folded results are counted under each topic: -v shows every result.", "");
  }
  writer.labelled("", next_steps_sentence(report), "");
}

}  // namespace

std::string render_text(const RunReport& report, const RenderOptions& options) {
  TextWriter writer(options);
  std::vector<Cause> causes = root_causes(report.results);
  write_header(writer, report);
  write_verdict(writer, report, causes);
  write_plugin_problems(writer, report);
  write_damaged_inputs(writer, report);
  write_first_steps(writer, group_causes(causes));
  write_results(writer, report, causes);
  write_plugins_and_diagnostics(writer, report);
  write_footer(writer, report);
  return writer.take();
}

}  // namespace ptdoctor::reports
