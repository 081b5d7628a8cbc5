// Root causes first: every format opens with the verdict and the causes with their first fix, and folds the
// problems that follow from a cause (RuleResult::caused_by) under it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "renderers.hpp"
#include "report_outline.hpp"
#include "report_samples.hpp"
#include "test_text.hpp"

namespace ptdoctor::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::lines_of;

RenderOptions plain(bool verbose = false) {
  RenderOptions options;
  options.verbose = verbose;
  return options;
}

std::size_t line_index(const std::vector<std::string>& lines, std::string_view needle) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find(needle) != std::string::npos) return i;
  }
  ADD_FAILURE() << "no line holds '" << needle << "'";
  return lines.size();
}

TEST(CausesFirst, TextOpensWithTheVerdictThenWhatToDoFirst) {
  std::vector<std::string> lines = lines_of(render_text(testing::caused_report(), plain()));
  std::size_t verdict = line_index(lines, "Verdict: NOT READY: 4 blockers failed");
  EXPECT_LT(verdict, 6u) << "the verdict belongs at the top";
  EXPECT_EQ(lines[verdict + 1], "2 causes, 3 consequences (they follow from a cause and are folded under it).");
  std::size_t first = line_index(lines, "What to do first");
  EXPECT_LT(verdict, first);
  // The blocker cause comes before the warning, with its first fix and what follows from it.
  EXPECT_EQ(lines[first + 1], "  1. ✗ cpu.not-a-guest: cpu.not-a-guest is fail (blocker)");
  EXPECT_EQ(lines[first + 2], "       fix: Fix cpu.not-a-guest by hand");
  // One line naming the first of them: the cause's details name every one.
  EXPECT_EQ(lines[first + 3], "       then: 3 more problems follow from it: kernel.dom0-support and 2 more");
  EXPECT_EQ(lines[first + 4], "  2. ! gpu.flr: gpu.flr is fail (warning) [0000:01:00.0]");
  EXPECT_LT(first + 4, line_index(lines, "CPU"));
}

TEST(CausesFirst, TextFoldsConsequencesInfoNotesAndPassesUnlessVerbose) {
  std::string text = render_text(testing::caused_report(), plain());
  EXPECT_THAT(text, Not(HasSubstr("✗ kernel.dom0-support")));
  EXPECT_THAT(text, Not(HasSubstr("Why kernel.pciback-loaded matters")));
  EXPECT_THAT(text, Not(HasSubstr("kernel.guide-option ")));
  // Topics with nothing to show take one line each.
  EXPECT_THAT(text, HasSubstr("Also checked, nothing to read\n  - Kernel (dom0): 2 info notes, 2 consequences of a "
                              "cause above\n  - Xen: 1 consequence of a cause above\n"));
  EXPECT_THAT(text, Not(HasSubstr("\nKernel (dom0)\n")));
  // The cause's details name every problem folded under it.
  EXPECT_THAT(text, HasSubstr("        see: REFERENCE.md section 4\n        then: 3 more problems follow from it: "
                              "kernel.dom0-support, kernel.pciback-loaded,\n              xen.running\n"));
  EXPECT_THAT(text, HasSubstr("-v shows every result."));
  EXPECT_THAT(text, HasSubstr("Next: `ptdoctor explain RULE-ID`"));

  std::string verbose = render_text(testing::caused_report(), plain(true));
  EXPECT_THAT(verbose, HasSubstr("✗ kernel.pciback-loaded"));
  EXPECT_THAT(verbose, HasSubstr("        follows from: cpu.not-a-guest\n"));
  EXPECT_THAT(verbose, HasSubstr("i kernel.guide-option"));
  EXPECT_THAT(verbose, HasSubstr("✓ gpu.target-chosen"));
  EXPECT_THAT(verbose, Not(HasSubstr("-v shows every result.")));
}

TEST(CausesFirst, DetailsNameEveryBlockerOrWarningThatFollowsAndCountTheInfoNotes) {
  RunReport report = testing::caused_report();
  for (const char* id : {"kernel.guide-option-a", "kernel.guide-option-b"}) {
    RuleResult note = testing::make_result(id, Severity::kInfo, RuleStatus::kFail);
    note.follows = note.caused_by = "cpu.not-a-guest";
    report.results.insert(report.results.begin() + 1, note);  // before the blockers that follow too
  }
  std::string text = render_text(testing::finish(report), plain());
  EXPECT_THAT(text, HasSubstr("        then: 3 more problems follow from it: kernel.dom0-support, "
                              "kernel.pciback-loaded,\n              xen.running, and 2 info notes\n"));
  EXPECT_THAT(text, Not(HasSubstr("kernel.guide-option-a")));  // (inserted before -b, so it comes second)
  // What to do first names the first blocker or warning and counts the others; info notes are left to the details.
  EXPECT_THAT(text, HasSubstr("       then: 3 more problems follow from it: kernel.dom0-support and 2 more\n"));
}

TEST(CausesFirst, WithoutFollowsEveryProblemIsItsOwnCauseAndNoCountIsClaimed) {
  std::string text = render_text(testing::full_report(), plain());
  EXPECT_THAT(text, Not(HasSubstr("consequence")));
  EXPECT_THAT(text, HasSubstr("  1. ✗ cpu.blocker-fail:"));
  EXPECT_THAT(text, HasSubstr("  5. ? cpu.blocker-unknown:"));  // blockers, then rule errors, then unknown
  EXPECT_THAT(text, HasSubstr("more causes in the details below."));
}

TEST(CausesFirst, MarkdownFollowsTheSameOrder) {
  std::string markdown = render_markdown(testing::caused_report(), {});
  std::size_t verdict = markdown.find("**Verdict:**");
  std::size_t first = markdown.find("## What to do first");
  std::size_t summary = markdown.find("| Result | Count |");
  std::size_t problems = markdown.find("## Problems");
  ASSERT_NE(first, std::string::npos);
  EXPECT_LT(verdict, first);
  EXPECT_LT(first, summary);
  EXPECT_LT(summary, problems);
  EXPECT_THAT(markdown, HasSubstr("1. ❌ **`cpu.not-a-guest`**: cpu.not-a-guest is fail (blocker)\n"
                                  "   - Fix: Fix cpu.not-a-guest by hand\n"
                                  "   - Then 3 more follow from it: `kernel.dom0-support`, `kernel.pciback-loaded`, "
                                  "`xen.running`\n"));
  EXPECT_THAT(markdown, HasSubstr("### Blockers (1)"));  // only the cause: its consequences are folded
  // Compact, they are counted; --all lists them in a folded table.
  EXPECT_THAT(markdown, HasSubstr("Not listed here: 3 follow from a cause above"));
  EXPECT_THAT(render_markdown(testing::caused_report(), plain(true)),
              HasSubstr("<summary>Follow from a cause above (3)</summary>"));
  EXPECT_THAT(markdown, Not(HasSubstr("Exit code")));
}

TEST(CausesFirst, JsonCarriesTheCauseLinks) {
  Json document = Json::parse(render_json(testing::caused_report(), {}));
  ASSERT_EQ(document["causes"].size(), 2u);
  EXPECT_EQ(document["causes"][0]["rule"], "cpu.not-a-guest");
  EXPECT_EQ(document["causes"][0]["first_fix"], "Fix cpu.not-a-guest by hand");
  EXPECT_EQ(document["causes"][0]["consequences"].size(), 3u);
  EXPECT_EQ(document["causes"][1]["rule"], "gpu.flr");
  EXPECT_EQ(document["causes"][1]["subject"], "0000:01:00.0");
  for (const Json& result : document["results"]) {
    if (result["rule"] == "kernel.pciback-loaded") {
      EXPECT_EQ(result["follows"], "kernel.dom0-support");
      EXPECT_EQ(result["caused_by"], "cpu.not-a-guest");
    }
    if (result["rule"] == "cpu.not-a-guest") {
      EXPECT_TRUE(result["caused_by"].is_null());
    }
  }
}

// Prerequisites first: of two failed blockers, the one other problems follow from (Xen not running) is acted on
// before one that stands alone, whatever the order of the rules.
TEST(CausesFirst, ACauseOthersFollowFromComesBeforeOneOfTheSameUrgencyThatStandsAlone) {
  RunReport report;
  report.results.push_back(testing::make_result("kernel.grub-xen-entry", Severity::kBlocker, RuleStatus::kFail));
  report.results.push_back(testing::make_result("xen.running", Severity::kBlocker, RuleStatus::kFail));
  RuleResult follows = testing::make_result("kernel.pciback-loaded", Severity::kBlocker, RuleStatus::kFail);
  follows.follows = "xen.running";
  follows.caused_by = "xen.running";
  report.results.push_back(follows);
  report.results.push_back(testing::make_result("gpu.flr", Severity::kWarning, RuleStatus::kFail));
  report = testing::finish(std::move(report));
  std::vector<Cause> causes = root_causes(report.results);
  ASSERT_EQ(causes.size(), 3u);
  EXPECT_EQ(causes[0].result->rule_id, "xen.running");
  EXPECT_EQ(causes[1].result->rule_id, "kernel.grub-xen-entry");
  EXPECT_EQ(causes[2].result->rule_id, "gpu.flr");  // a warning stays after every blocker
  std::vector<std::string> lines = lines_of(render_text(report, plain()));
  EXPECT_LT(line_index(lines, "1. ✗ xen.running"), line_index(lines, "2. ✗ kernel.grub-xen-entry"));
}

// After `fix --apply`, before the reboot: every format's headline says the changes are not in effect yet, and the
// verdict sentence names the first step in verify's words.
TEST(CausesFirst, AnApplyWaitingForARebootIsSaidWithTheVerdict) {
  RunReport report = testing::caused_report();
  EXPECT_EQ(verdict_headline(report), "NOT READY");
  report.pending = PendingApply{"20261202T130941Z", {"0000:01:00.0 is not held by pciback: not rebooted", "two"}};
  EXPECT_EQ(verdict_headline(report), "NOT READY, configured but not yet in effect");
  EXPECT_THAT(verdict_reason(report),
              HasSubstr("; `ptdoctor fix --apply` (journal 20261202T130941Z) configured changes that are not in effect "
                        "yet: 0000:01:00.0 is not held by pciback: not rebooted (and 1 more step). Reboot into the "
                        "Xen entry, then run `ptdoctor verify`"));
  EXPECT_THAT(render_text(report, plain()), HasSubstr("Verdict: NOT READY, configured but not yet in effect:"));
  EXPECT_THAT(render_markdown(report, plain()), HasSubstr("# ptdoctor: NOT READY, configured but not yet in effect"));
  EXPECT_THAT(render_html(report, plain()), HasSubstr("<strong>NOT READY, configured but not yet in effect</strong>"));
}

}  // namespace
}  // namespace ptdoctor::reports
