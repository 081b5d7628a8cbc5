#include <cstdio>

#include "cli/commands.hpp"
#include "engine/install_paths.hpp"
#include "rules/message_template.hpp"
#include "rules/rule_lint.hpp"
#include "rules/rule_loader.hpp"
#include "text_cleaning.hpp"

namespace ptdoctor::cli {
namespace {

// explain: the text is neither a rule id nor a message any rule recognises.
constexpr int kExitNoKnownCause = 1;

std::string text_of(const Json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

bool has(const Json& rule, const char* key) {
  return rule.contains(key) && !rule[key].is_null() && !(rule[key].is_array() && rule[key].empty());
}

// A message or fix template without a host: each placeholder as "<what it stands for>", never the raw `{...}` nor a
// made-up value (UX review finding 22). `marked` is set when one was written, so the text can say what <...> means.
class GenericText {
 public:
  explicit GenericText(const Json& rule) {
    if (has(rule, "for_each")) scope_ = {"item", rule.value("as", "item")};
  }
  std::string operator()(const std::string& text) {
    rules::MessageTemplate parsed;
    if (rules::MessageTemplate::parse(text, scope_, parsed)) return text;  // a loaded rule's text always parses
    marked_ = marked_ || !parsed.placeholders().empty();
    return parsed.render_generic();
  }
  bool marked() const { return marked_; }

 private:
  rules::Scope scope_;
  bool marked_ = false;
};

// Explain's text, wrapped to the terminal like check's report (reports::wrap_paragraph: a `code span` is never
// split); `width` 0 (a pipe or a file, without COLUMNS) leaves the lines whole.
class ExplainWriter {
 public:
  explicit ExplainWriter(std::size_t width) : width_(width) {}
  // One paragraph: `first` before its first line, `hanging` before the others.
  void paragraph(const std::string& text, std::string_view first = "  ", std::string_view hanging = "  ") {
    out_ += reports::wrap_paragraph(text, width_, first, hanging);
  }
  void heading(const std::string& title) { out_ += "\n" + title + ":\n"; }
  void line(const std::string& text) { out_ += text + "\n"; }
  std::string take() { return std::move(out_); }

 private:
  std::size_t width_;
  std::string out_;
};

void list_section(ExplainWriter& out, const Json& rule, const char* key, const std::string& heading,
                  GenericText* generic, bool verbose) {
  if (!has(rule, key)) return;
  out.heading(heading);
  for (const Json& entry : rule[key]) {
    std::string line = entry.is_object() ? entry.value("text", "") : text_of(entry);
    out.paragraph(generic ? (*generic)(line) : line, "  - ", "    ");
    if (verbose && entry.is_object() && entry.contains("action") && !entry["action"].is_null()) {
      out.paragraph("(fix action: " + entry["action"].dump() + ")", "      ", "      ");
    }
  }
}

// Renders RuleSet::describe() output for a terminal: plain words by default; the rule's conditions and fix actions
// (its YAML expressions) with -v.
std::string explain_text(const Json& rule, bool verbose, std::size_t width) {
  GenericText generic(rule);
  ExplainWriter out(width);
  out.paragraph(rule.value("id", "") + " (" + rule.value("severity", "") + "): " + rule.value("title", ""), "", "  ");
  if (has(rule, "source")) out.paragraph("defined at: " + text_of(rule["source"]));
  if (has(rule, "why")) {
    out.heading("Why it matters");
    out.paragraph(text_of(rule["why"]));
  }
  if (verbose && has(rule, "when")) {
    out.heading("Applies when");
    out.paragraph(text_of(rule["when"]));
  }
  if (verbose && has(rule, "for_each")) {
    out.heading("Checked for each element of");
    out.paragraph(text_of(rule["for_each"]) + " (as " + rule.value("as", "item") + ")");
  }
  if (verbose && has(rule, "check")) {
    out.heading("Check");
    out.paragraph(text_of(rule["check"]));
  }
  if (has(rule, "message") && rule["message"].contains("fail")) {
    out.heading("On failure it says");
    out.paragraph(generic(text_of(rule["message"]["fail"])));
  }
  list_section(out, rule, "fixes", "How to fix", &generic, verbose);
  if (generic.marked()) {
    out.line("");
    out.paragraph("<...> stands for a value of the judged host: `ptdoctor check` prints this rule's messages and fixes "
                  "with this host's values, and leaves out a fix whose value the host does not have.", "", "");
  }
  list_section(out, rule, "refs", "References", nullptr, false);
  list_section(out, rule, "recognises", "Recognises these messages", nullptr, false);
  if (!verbose && (has(rule, "when") || has(rule, "check"))) {
    out.line("");
    out.line("(-v shows the conditions the rule checks)");
  }
  return out.take();
}

}  // namespace

// `rules --lint FILE...`: loads each file on its own and checks its fact paths and operator types against the
// declarations. 0 clean, 1 problems found, 64 a file that does not load.
static int lint_files(Session& session, const std::vector<std::string>& files) {
  const facts::FactCatalog& catalog = session.catalog();
  if (catalog.empty()) throw InputError(make_error(ErrorKind::kNotFound, "no fact declarations installed ("
                                                   + engine::install_paths().facts_dir + "): cannot lint"));
  std::size_t problems = 0;
  for (const std::string& file : files) {
    rules::LoadedFile loaded = rules::load_rule_file(file, false);
    if (loaded.read_error) throw InputError(make_error(*loaded.read_error, loaded.problems.front()));
    if (!loaded.problems.empty()) {
      std::string all;
      for (const std::string& problem : loaded.problems) all += "\n" + problem;
      throw UsageError("invalid rules:" + all);
    }
    for (const std::string& problem : rules::lint_rules(loaded.rules, catalog)) {
      std::printf("%s\n", problem.c_str());
      ++problems;
    }
    std::printf("%s: %zu rules, %s\n", file.c_str(), loaded.rules.size(),
                problems == 0 ? "every fact declared, every operator fits" : "problems above");
  }
  return problems == 0 ? 0 : 1;
}

void register_rules(CLI::App& app, CommandContext& context) {
  auto json = std::make_shared<bool>(false);
  auto lint = std::make_shared<std::vector<std::string>>();
  CLI::App* command = app.add_subcommand("rules", "List the loaded rules");
  add_catalogue_options(*command, context.options);
  command->add_flag("--json", *json, "Print as JSON");
  command->add_option("--lint", *lint,
                      "Check rule FILEs against the fact declarations: every fact read exists, operators fit its type")
      ->type_name("FILE");
  command->callback([&context, json, lint] {
    context.action = [&context, json, lint]() -> int {
      Session session(context.options);
      if (!lint->empty()) return lint_files(session, *lint);
      Json all = session.rules().describe_all();
      if (*json) return emit(all.dump(2) + "\n", "") ? 0 : kExitCantCreate;
      std::string text;
      for (const Json& rule : all) {
        std::string id = rule.value("id", "");
        std::string severity = rule.value("severity", "");
        id.resize(std::max<std::size_t>(id.size(), 36), ' ');
        severity.resize(std::max<std::size_t>(severity.size(), 8), ' ');
        text += id + " " + severity + " " + rule.value("title", "") + "\n";
      }
      text += std::to_string(all.size()) + " rules\n";
      return emit(text, "") ? 0 : kExitCantCreate;
    };
  });
}

void register_explain(CLI::App& app, CommandContext& context) {
  auto id = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand(
      "explain", "Print a rule's full text (why, how to fix, references), or the rules that recognise a pasted "
                 "error message");
  add_catalogue_options(*command, context.options);
  command->add_option("rule", *id, "Rule id (see `ptdoctor rules`), or an error message in quotes")->required();
  command->add_flag("--json", *json, "Print as JSON (one rule: an object; a recognised message: a list)");
  command->callback([&context, id, json] {
    context.action = [&context, id, json]() -> int {
      Session session(context.options);
      const RuleSet& rules = session.rules();
      Json rule = rules.describe(*id);
      const bool verbose = context.options.verbosity > 0;
      const std::size_t width = wrap_width(writes_to_terminal(""));
      if (!rule.is_null()) {
        return emit(*json ? rule.dump(2) + "\n" : explain_text(rule, verbose, width), "") ? 0 : kExitCantCreate;
      }
      // Not an id: maybe a message the user pasted from xl or the kernel log.
      std::vector<std::string> matched = rules.recognise(*id);
      if (matched.empty()) {
        // Not a usage error: the message is simply one no rule knows. Say so, and point at the nearest rules.
        std::vector<std::string> closest = rules.closest(*id, 3);
        std::string text = "no rule '" + *id + "', and no rule recognises it as a message: no known cause";
        if (closest.empty()) {
          text += "; `ptdoctor rules` lists the rules\n";
        } else {
          text += "; closest rules: ";
          for (std::size_t i = 0; i < closest.size(); ++i) text += (i ? ", " : "") + closest[i];
          text += " (`ptdoctor explain RULE` for one)\n";
        }
        if (*json) return emit("[]\n", "") ? kExitNoKnownCause : kExitInternal;
        return emit(text, "") ? kExitNoKnownCause : kExitInternal;
      }
      Json all = Json::array();
      std::string text = std::to_string(matched.size()) + (matched.size() == 1 ? " rule recognises" : " rules recognise") +
                         " this message:\n";
      for (const std::string& match : matched) {
        all.push_back(rules.describe(match));
        text += "\n" + explain_text(all.back(), verbose, width);
      }
      return emit(*json ? all.dump(2) + "\n" : text, "") ? 0 : kExitCantCreate;
    };
  });
}

}  // namespace ptdoctor::cli
