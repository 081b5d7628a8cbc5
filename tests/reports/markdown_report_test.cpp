#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "markdown_escape.hpp"
#include "renderers.hpp"
#include "report_samples.hpp"
#include "test_text.hpp"

namespace ptdoctor::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::lines_of;

// --all: every result, the why and the folded tables.
RenderOptions all() {
  RenderOptions options;
  options.verbose = true;
  return options;
}

// Occurrences of `c` not escaped by a backslash.
std::size_t unescaped(std::string_view line, char c) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\') {
      ++i;
    } else if (line[i] == c) {
      ++count;
    }
  }
  return count;
}

// Where `needle` first occurs at or after `from` (the causes of "What to do first" come before the sections that
// list them again with why and fixes, so a section's items are searched from its heading on).
std::size_t position(const std::string& text, std::string_view needle, std::size_t from = 0) {
  std::size_t at = text.find(needle, from);
  EXPECT_NE(at, std::string::npos) << "missing: " << needle;
  return at;
}

// Structure checks that must hold whatever the messages say.
void expect_well_formed(const std::string& markdown) {
  EXPECT_TRUE(testing::is_valid_utf8(markdown));
  EXPECT_EQ(markdown.find('\x1b'), std::string::npos);
  int open_details = 0;
  std::size_t table_pipes = 0;
  for (const std::string& line : lines_of(markdown)) {
    if (line == "<details>") {
      EXPECT_EQ(open_details++, 0) << "nested <details>";
      continue;
    }
    if (line == "</details>") {
      EXPECT_EQ(open_details--, 1) << "</details> without <details>";
      continue;
    }
    if (line.rfind("<summary>", 0) == 0) {
      EXPECT_EQ(line.find("</summary>"), line.size() - 10);
      continue;
    }
    // Outside our own tags, no HTML of any kind gets through.
    EXPECT_EQ(line.find('<'), std::string::npos) << line;
    EXPECT_EQ(unescaped(line, '`') % 2, 0u) << "unbalanced code span: " << line;
    if (line.rfind("|", 0) == 0) {
      if (table_pipes == 0) table_pipes = unescaped(line, '|');
      EXPECT_EQ(unescaped(line, '|'), table_pipes) << "table row with the wrong number of cells: " << line;
    } else {
      table_pipes = 0;
      EXPECT_EQ(unescaped(line, '|'), 0u) << line;
    }
    if (line.rfind("#", 0) == 0) {
      EXPECT_THAT(line, ::testing::MatchesRegex("#+ [A-Za-z].*"));
    }
  }
  EXPECT_EQ(open_details, 0);
}

TEST(MarkdownEscape, EscapesInlineSyntaxAndHtml) {
  EXPECT_EQ(markdown_inline("a|b <i> & `c` *d* _e_ [f](g) ~h~ $i$ \\"),
            "a\\|b &lt;i&gt; &amp; \\`c\\` \\*d\\* \\_e\\_ \\[f\\](g) \\~h\\~ \\$i\\$ \\\\");
  EXPECT_EQ(markdown_inline("# not a heading\n- not an item"), "\\# not a heading - not an item");
  EXPECT_EQ(markdown_inline("0000:08:00.0"), "0000:08:00.0");
}

// Rule text keeps its commands as code spans (they render as code on GitHub and copy as typed); the prose around
// them is escaped, an unpaired backtick stays literal, and a | inside a span is \| only in a table cell.
TEST(MarkdownEscape, RuleTextKeepsItsCodeSpans) {
  EXPECT_EQ(markdown_text("run `lspci -D | grep -E 'VGA|3D'` *now*"), "run `lspci -D | grep -E 'VGA|3D'` \\*now\\*");
  EXPECT_EQ(markdown_text("`a | b`", true), "`a \\| b`");
  EXPECT_EQ(markdown_text("`cpuid -r > ROOT/x.txt` & <b>"), "`cpuid -r > ROOT/x.txt` &amp; &lt;b&gt;");
  EXPECT_EQ(markdown_text("one ` alone"), "one \\` alone");
  EXPECT_EQ(markdown_text("a `` b"), "a \\`\\` b");
  EXPECT_EQ(markdown_text("# `x`"), "\\# `x`");
}

TEST(MarkdownEscape, CodeSpansOnlyForPlainText) {
  EXPECT_EQ(markdown_code("gpu.flr"), "`gpu.flr`");
  EXPECT_EQ(markdown_code("a`b"), "a\\`b");
  EXPECT_EQ(markdown_code("a|b"), "a\\|b");
  EXPECT_EQ(markdown_code(""), "");
}

TEST(MarkdownReport, TitleVerdictHostAndSummaryTable) {
  std::string markdown = render_markdown(testing::full_report(), {});
  EXPECT_EQ(lines_of(markdown).front(), "# ptdoctor: NOT READY for Xen secondary-GPU passthrough");
  EXPECT_THAT(markdown, HasSubstr("**Verdict:** `not-ready`: 2 blockers failed"));
  EXPECT_THAT(markdown, Not(HasSubstr("Exit code")));  // the legend is in --help and the man page
  EXPECT_THAT(markdown, HasSubstr("**Host:** this machine (live), hostname testbox, kernel 6.1.0-18-amd64. "
                                  "ptdoctor 0.1.0, 2026-11-24T02:00:00Z.\n"));
  EXPECT_THAT(markdown, HasSubstr("| Result | Count |\n| --- | ---: |\n| Passed | 9 |\n| Failed: blockers | 2 |\n"
                                  "| Failed: warnings | 3 |\n| Failed: info | 1 |\n| Unknown | 3 |\n| Error | 3 |\n"
                                  "| Skipped | 3 |\n"));
  expect_well_formed(markdown);
}

TEST(MarkdownReport, ProblemsListBlockersThenWarningsWithWhyAndFixes) {
  std::string markdown = render_markdown(testing::full_report(), all());
  std::size_t problems = position(markdown, "## Problems");
  std::size_t blockers = position(markdown, "### Blockers (2)");
  std::size_t warnings = position(markdown, "### Warnings (3)");
  std::size_t notes = position(markdown, "### Notes (1)");
  EXPECT_LT(problems, blockers);
  EXPECT_LT(blockers, warnings);
  EXPECT_LT(warnings, notes);
  std::size_t gpu = position(markdown, "- ❌ **`gpu.flr`** on `0000:09:00.0`:", problems);
  EXPECT_LT(blockers, position(markdown, "- ❌ **`cpu.blocker-fail`**: cpu.blocker-fail is fail (blocker)", problems));
  EXPECT_LT(blockers, gpu);
  EXPECT_GT(warnings, gpu);
  EXPECT_LT(warnings, position(markdown, "- ⚠️ **`usb.controller-isolated`** on `0000:00:14.0`", problems));
  EXPECT_THAT(markdown, HasSubstr("  - Why: Why cpu.blocker-fail matters\n"
                                  "  - Fix: Fix cpu.blocker-fail by hand\n"
                                  "  - Fix: Fix cpu.blocker-fail with the planner\n"
                                  "  - See: REFERENCE.md section 4\n"));
}

TEST(MarkdownReport, UnknownsAndErrorsComeWithTheirReasons) {
  std::string markdown = render_markdown(testing::full_report(), all());
  std::size_t undecided = position(markdown, "## Could not be decided (6)");
  EXPECT_LT(undecided, position(markdown, "- ❔ **`cpu.blocker-unknown`**", undecided));
  EXPECT_LT(undecided, position(markdown, "- ⛔ **`cpu.blocker-error`**", undecided));
  EXPECT_THAT(markdown, HasSubstr("  - Unknown: cpu.msr.vmx\\_locked: not root: /dev/cpu/0/msr needs root\n"));
  EXPECT_THAT(markdown, HasSubstr("<summary>Facts that could not be collected (1)</summary>"));
  EXPECT_THAT(markdown, HasSubstr("- `cpu.msr`: not root: /dev/cpu/0/msr needs root"));
}

TEST(MarkdownReport, PassesAndPluginsAreFoldedAway) {
  std::string markdown = render_markdown(testing::full_report(), all());
  std::size_t passed = position(markdown, "<summary>Passed (9)</summary>");
  EXPECT_LT(passed, position(markdown, "| ✅ `cpu.blocker-pass` |  | cpu.blocker-pass is pass (blocker) |"));
  EXPECT_THAT(markdown, HasSubstr("| ✅ `gpu.flr` | `0000:08:00.0` | gpu.flr is pass (blocker) |"));
  EXPECT_THAT(markdown, HasSubstr("<summary>Skipped (not applicable) (3)</summary>"));
  EXPECT_THAT(markdown, HasSubstr("<summary>Plugins (2, 1 failed) and diagnostics (3)</summary>"));
  EXPECT_THAT(markdown, HasSubstr("| `acpi` | 0.1.0 | failed: ptdoctor-acpi.so: ABI 1"));
  EXPECT_THAT(markdown, HasSubstr("- **error** (acpi): /sys/firmware/acpi/tables/DMAR: offset 0x30"));
  EXPECT_THAT(markdown, Not(HasSubstr("cpuid leaf 0x1 ecx bit 5"))) << "no facts in Markdown";
}

// The default report is the one pasted into a forum post: each problem with its fixes and one reference, the why
// left to `ptdoctor explain`, and what --all would list in tables counted in one line.
TEST(MarkdownReport, CompactByDefault) {
  std::string markdown = render_markdown(testing::full_report(), {});
  expect_well_formed(markdown);
  EXPECT_THAT(markdown, HasSubstr("- ❌ **`cpu.blocker-fail`**: cpu.blocker-fail is fail (blocker)\n"
                                  "  - Fix: Fix cpu.blocker-fail by hand\n"
                                  "  - Fix: Fix cpu.blocker-fail with the planner\n"
                                  "  - See: REFERENCE.md section 4\n"));
  EXPECT_THAT(markdown, Not(HasSubstr("  - Why:")));
  EXPECT_THAT(markdown, Not(HasSubstr("  - Rule:")));
  EXPECT_THAT(markdown, Not(HasSubstr("<summary>Passed")));
  EXPECT_THAT(markdown, Not(HasSubstr("<summary>Facts that could not be collected")));
  EXPECT_THAT(markdown, HasSubstr("\nNot listed here: 9 passed, 3 skipped (not applicable) and 1 fact could not be "
                                  "collected; `ptdoctor check --all --format markdown` lists them"));
  // Only the first five causes under "What to do first", as in the text report.
  EXPECT_THAT(markdown, HasSubstr("\n\n4 more causes in the sections below.\n"));
  // The plugin failure, warnings and errors stay, folded: they say what is wrong in a damaged input.
  EXPECT_THAT(markdown, HasSubstr("<summary>Diagnostics (3)</summary>\n\n- **plugin acpi failed**: "));
  EXPECT_THAT(markdown, HasSubstr("- **error** (acpi): /sys/firmware/acpi/tables/DMAR: offset 0x30"));
  EXPECT_LT(markdown.size(), render_markdown(testing::full_report(), all()).size());
}

TEST(MarkdownReport, AsciiModeHasNoEmoji) {
  RenderOptions options;
  options.unicode = false;
  std::string markdown = render_markdown(testing::full_report(), options);
  for (char c : markdown) ASSERT_LT(static_cast<unsigned char>(c), 0x80);
  EXPECT_THAT(markdown, HasSubstr("- **`cpu.blocker-fail`**: "));
}

TEST(MarkdownReport, ReadyReportSaysNoRuleFailed) {
  RunReport report;
  report.results.push_back(testing::make_result("cpu.a", Severity::kBlocker, RuleStatus::kPass));
  std::string markdown = render_markdown(testing::finish(report), {});
  EXPECT_EQ(lines_of(markdown).front(), "# ptdoctor: READY for Xen secondary-GPU passthrough");
  EXPECT_THAT(markdown, HasSubstr("## Problems\n\nNo rule failed.\n"));
  EXPECT_THAT(markdown, Not(HasSubstr("## Could not be decided")));
  expect_well_formed(markdown);
}

TEST(MarkdownReport, EmptyReportSaysNothingWasEvaluatedAndCannotJudge) {
  std::string markdown = render_markdown(testing::empty_report(), {});
  EXPECT_EQ(lines_of(markdown).front(), "# ptdoctor: CANNOT JUDGE for Xen secondary-GPU passthrough");
  EXPECT_THAT(markdown, HasSubstr("No rule was evaluated."));
  EXPECT_THAT(markdown, Not(HasSubstr("No rule failed.")));
  EXPECT_THAT(markdown, Not(HasSubstr("<details>")));
  expect_well_formed(markdown);
}

TEST(MarkdownReport, HostileStringsKeepTheStructure) {
  std::string markdown = render_markdown(testing::hostile_report(), {});
  expect_well_formed(markdown);
  EXPECT_THAT(markdown, Not(HasSubstr("<script>")));
  EXPECT_THAT(markdown, HasSubstr("a\\|b &lt;script&gt;alert(1)&lt;/script&gt; \\`code\\` \\*bold\\* \\_u\\_ "
                                  "\\[link\\](http://x) &amp; # heading - item"));
  EXPECT_THAT(markdown, HasSubstr("\xEF\xBF\xBD"));
}

}  // namespace
}  // namespace ptdoctor::reports
