// The report as one self-contained HTML page: verdict, what to do first, a picture of the host (inline SVG, see
// host_picture.hpp), the details per topic, and the JSON report embedded as data. No script runs, and nothing is
// fetched: no external style sheet, font or image, so the file can be mailed or attached and opened offline.
#include <string>
#include <vector>

#include "host_picture.hpp"
#include "html_escape.hpp"
#include "renderers.hpp"
#include "report_outline.hpp"

namespace ptdoctor::reports {
namespace {

constexpr std::string_view kStyle = R"(
body { font-family: sans-serif; margin: 1.5em auto; max-width: 68em; color: #222; line-height: 1.4; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
.verdict { font-size: 1.2em; padding: .5em .8em; border-radius: 6px; }
.verdict-ready { background: #c9e9d2; } .verdict-ready-with-warnings { background: #f7dfae; }
.verdict-not-ready { background: #f3c4c0; } .verdict-cannot-judge { background: #d9dee6; }
.host { color: #555; }
code { font-family: monospace; background: #f4f4f4; padding: 0 .2em; }
.fix, .why { white-space: pre-line; }
ol.causes > li { margin-bottom: .6em; }
.consequences { color: #555; }
details { margin: .3em 0; } summary { cursor: pointer; }
.result { margin: .4em 0 .4em 1em; }
.result .why { color: #444; }
.status-fail.severity-blocker .marker, .status-error .marker { color: #c0392b; }
.status-fail.severity-warning .marker { color: #b9770e; }
.status-unknown .marker { color: #5d6d7e; } .status-pass .marker { color: #1e8449; }
#picture svg text { font-family: monospace; font-size: 12px; fill: #222; }
#picture svg .branch { fill: none; stroke: #999; }
#picture svg .tie { stroke-width: 1; stroke-dasharray: 2 2; }
#picture svg .target-label { font-weight: bold; fill: #1f5fbf; }
.legend span { display: inline-block; padding: 0 .5em; margin-right: .4em; border: 1px solid #9aa; border-radius: 3px; }
)";

std::string marker(const RuleResult& result) {
  switch (result.status) {
    case RuleStatus::kPass: return "✓";
    case RuleStatus::kSkip: return "–";
    case RuleStatus::kUnknown: return "?";
    case RuleStatus::kError: return "E";
    case RuleStatus::kFail: break;
  }
  return result.severity == Severity::kBlocker ? "✗" : result.severity == Severity::kWarning ? "!" : "i";
}

std::string result_classes(const RuleResult& result) {
  return std::string("result status-") + to_string(result.status) + " severity-" + to_string(result.severity);
}

std::string headline(const RuleResult& result) {
  std::string text = "<span class=\"marker\">" + marker(result) + "</span> <code>" + html_text(result.rule_id) +
                     "</code>";
  if (!result.subject.empty()) text += " on <code>" + html_text(result.subject) + "</code>";
  return text + ": " + html_prose(result.message.empty() ? result.title : result.message);
}

void write_result(std::string& out, const RunReport& report, const RuleResult& result) {
  out += "<div class=\"" + result_classes(result) + "\" data-rule=\"" + html_text(result.rule_id) + "\"" +
         (result.caused_by.empty() ? "" : " data-caused-by=\"" + html_text(result.caused_by) + "\"") + ">" +
         headline(result);
  if (is_problem(result)) {
    out += "<ul>";
    if (!result.caused_by.empty()) out += "<li>Follows from <code>" + html_text(result.caused_by) + "</code></li>";
    if (result.status == RuleStatus::kUnknown) {
      for (const std::string& reason : missing_fact_reasons(report, result)) {
        out += "<li>Unknown: " + html_text(reason) + "</li>";
      }
    }
    if (!result.why.empty()) out += "<li class=\"why\">Why: " + html_prose(result.why) + "</li>";
    for (const Fix& fix : result.fixes) out += "<li>Fix: <span class=\"fix\">" + html_prose(fix.text) + "</span></li>";
    for (const std::string& ref : result.refs) out += "<li>See: " + html_reference(ref) + "</li>";
    out += "</ul>";
  }
  out += "</div>\n";
}

void write_plugin_problems(std::string& out, const RunReport& report) {
  if (report.plugin_problems.empty()) return;
  out += "<section id=\"plugin-problems\"><h2>" + html_text(kPluginProblemsHeading) + "</h2><ul>\n";
  for (const PluginProblem& problem : report.plugin_problems) {
    out += "<li class=\"plugin-problem\" data-plugin=\"" + html_text(problem.name) + "\" data-problem=\"" +
           to_string(problem.kind) + "\"><code>" + html_text(problem.name) + "</code>: " + to_string(problem.kind) +
           ": " + html_text(problem.reason) + "</li>\n";
  }
  out += "</ul><p>" + html_text(plugin_problems_advice(report.plugin_problems)) + "</p></section>\n";
}

void write_causes(std::string& out, const std::vector<Cause>& causes) {
  if (causes.empty()) return;
  out += "<section id=\"first-steps\"><h2>What to do first</h2><ol class=\"causes\">\n";
  for (const Cause& cause : causes) {
    const RuleResult& result = *cause.result;
    out += "<li class=\"cause " + result_classes(result) + "\" data-rule=\"" + html_text(result.rule_id) + "\">" +
           headline(result);
    if (!result.fixes.empty()) {
      out += "<div>Fix: <span class=\"fix\">" + html_prose(result.fixes.front().text) + "</span></div>";
    }
    if (!cause.consequences.empty()) {
      out += "<div class=\"consequences\" data-count=\"" + std::to_string(cause.consequences.size()) + "\">Then " +
             std::to_string(cause.consequences.size()) + " more follow from it:";
      for (const RuleResult* consequence : cause.consequences) out += " <code>" + html_text(consequence->rule_id) + "</code>";
      out += "</div>";
    }
    out += "</li>\n";
  }
  out += "</ol></section>\n";
}

void write_picture(std::string& out, const RunReport& report) {
  HostPicture picture = host_picture(report);
  out += "<section id=\"picture\"><h2>The host</h2><p>" + html_text(picture.caption) +
         ". Each row is a PCI function, indented under its bridge and coloured by readiness; the target GPU's "
         "functions are outlined in blue. Hover a row or a lane for details.</p>\n<p class=\"legend\">"
         "<span style=\"background:#f3c4c0\">blocker</span><span style=\"background:#f7dfae\">warning</span>"
         "<span style=\"background:#d9dee6\">unknown</span><span style=\"background:#c9e9d2\">ready</span>"
         "<span style=\"background:#f6f6f6\">not judged</span></p>\n" + host_picture_svg(picture) + "</section>\n";
}

void write_details(std::string& out, const RunReport& report) {
  out += "<section id=\"details\"><h2>Details</h2>\n";
  for (const Topic& topic : group_by_topic(report.results)) {
    std::vector<const RuleResult*> open, folded;
    for (const RuleResult* result : topic.results) {
      bool own_problem = is_problem(*result) && !is_consequence(*result) && result->severity != Severity::kInfo;
      (own_problem ? open : folded).push_back(result);
    }
    out += "<h3>" + html_text(topic.title) + "</h3>\n";
    for (const RuleResult* result : open) write_result(out, report, *result);
    if (!folded.empty()) {
      out += "<details><summary>" + std::to_string(folded.size()) +
             " more (passes, skips, info notes, consequences)</summary>\n";
      for (const RuleResult* result : folded) write_result(out, report, *result);
      out += "</details>\n";
    }
  }
  out += "</section>\n";
}

// The JSON report rides along as data (never run): "</" is escaped as "<\/", which JSON reads back unchanged, so
// no string in it can close the element.
std::string embedded_json(const RunReport& report, const RenderOptions& options) {
  std::string json = render_json(report, options), out;
  out.reserve(json.size());
  for (std::size_t i = 0; i < json.size(); ++i) {
    out += json[i];
    if (json[i] == '<' && i + 1 < json.size() && json[i + 1] == '/') out += '\\';
  }
  return out;
}

}  // namespace

std::string render_html(const RunReport& report, const RenderOptions& options) {
  std::vector<Cause> causes = root_causes(report.results);
  std::string verdict = to_string(report.verdict);
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
                    "'unsafe-inline'; img-src data:\">\n<title>ptdoctor: " +
                    std::string(verdict_headline(report.verdict)) + "</title>\n<style>" + std::string(kStyle) +
                    "</style>\n</head>\n<body>\n";
  out += "<h1>ptdoctor: Xen secondary-GPU passthrough readiness</h1>\n";
  out += "<p class=\"verdict verdict-" + verdict + "\" id=\"verdict\" data-verdict=\"" + verdict + "\"><strong>" +
         html_text(verdict_headline(report)) + "</strong>: " + html_text(verdict_reason(report)) + ".";
  if (std::string sentence = causes_sentence(causes); !sentence.empty()) out += " " + html_text(sentence) + ".";
  out += "</p>\n<p class=\"host\">" + html_text(host_sentence(report.host)) + ". ptdoctor " +
         html_text(report.tool_version) + (report.generated_at.empty() ? "" : ", " + html_text(report.generated_at)) +
         ". " + html_text(counts_sentence(report.summary)) + ".</p>\n";
  write_plugin_problems(out, report);
  write_causes(out, causes);
  write_picture(out, report);
  write_details(out, report);
  out += "<p>" + html_text(next_steps_sentence(report)) + "</p>\n";
  out += "<script type=\"application/json\" id=\"ptdoctor-report\">\n" + embedded_json(report, options) +
         "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace ptdoctor::reports
