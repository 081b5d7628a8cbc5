#include <cctype>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "renderers.hpp"
#include "report_samples.hpp"
#include "test_text.hpp"

namespace ptdoctor::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::lines_of;
using testing::lines_with;

RenderOptions plain(bool verbose = false) {
  RenderOptions options;
  options.color = false;
  options.verbose = verbose;
  return options;
}

std::size_t index_of_line(const std::vector<std::string>& lines, std::string_view needle) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find(needle) != std::string::npos) return i;
  }
  ADD_FAILURE() << "no line holds '" << needle << "'";
  return lines.size();
}

std::size_t index_of_heading(const std::vector<std::string>& lines, std::string_view heading) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] == heading) return i;
  }
  ADD_FAILURE() << "no heading '" << heading << "'";
  return lines.size();
}

TEST(TextReport, HeaderNamesToolVersionAndHost) {
  std::string text = render_text(testing::full_report(), plain());
  EXPECT_THAT(lines_of(text).front(), HasSubstr("ptdoctor 0.1.0"));
  EXPECT_THAT(text, HasSubstr("Host: this machine (live), hostname testbox, kernel 6.1.0-18-amd64"));
  std::string offline = render_text(testing::empty_report(), plain());
  // Finding 34: an offline tree without a hostname says nothing about one instead of "hostname ?".
  EXPECT_THAT(offline, HasSubstr("Host: offline root /srv/hosts/empty, kernel unknown\n"));
  EXPECT_THAT(offline, Not(HasSubstr("?")));
}

TEST(TextReport, GroupsResultsByTopicInSetupOrder) {
  std::vector<std::string> lines = lines_of(render_text(testing::full_report(), plain(true)));
  std::size_t cpu = index_of_heading(lines, "CPU"), iommu = index_of_heading(lines, "IOMMU and ACPI tables"),
              kernel = index_of_heading(lines, "Kernel (dom0)"), xen = index_of_heading(lines, "Xen"),
              pci = index_of_heading(lines, "PCI"), gpu = index_of_heading(lines, "GPU"),
              usb = index_of_heading(lines, "USB"), custom = index_of_heading(lines, "zzcustom");
  EXPECT_LT(cpu, iommu);
  EXPECT_LT(iommu, kernel);
  EXPECT_LT(kernel, xen);
  EXPECT_LT(xen, pci);
  EXPECT_LT(pci, gpu);
  EXPECT_LT(gpu, usb);
  EXPECT_LT(usb, custom);
  // acpi.* and iommu.* share one group.
  std::size_t acpi = index_of_line(lines, "acpi.dmar-valid"), iommu_rule = index_of_line(lines, "iommu.enabled");
  EXPECT_LT(iommu, acpi);
  EXPECT_LT(acpi, kernel);
  EXPECT_LT(iommu_rule, kernel);
  EXPECT_EQ(lines_with(render_text(testing::full_report(), plain(true)), "IOMMU and ACPI").size(), 1u);
}

TEST(TextReport, MarksEachStatusAndSeverity) {
  std::string text = render_text(testing::full_report(), plain(true));
  EXPECT_THAT(text, HasSubstr("✓ cpu.blocker-pass "));
  EXPECT_THAT(text, HasSubstr("✗ cpu.blocker-fail "));
  EXPECT_THAT(text, HasSubstr("! cpu.warning-fail "));
  EXPECT_THAT(text, HasSubstr("i cpu.info-fail "));
  EXPECT_THAT(text, HasSubstr("? cpu.blocker-unknown "));
  EXPECT_THAT(text, HasSubstr("E cpu.blocker-error "));
  EXPECT_THAT(text, HasSubstr("- cpu.blocker-skip "));
}

TEST(TextReport, AsciiModeUsesBracketMarkersOnly) {
  RenderOptions options = plain(true);
  options.unicode = false;
  std::string text = render_text(testing::full_report(), options);
  EXPECT_THAT(text, HasSubstr("[ok]   cpu.blocker-pass "));
  EXPECT_THAT(text, HasSubstr("[FAIL] cpu.blocker-fail "));
  EXPECT_THAT(text, HasSubstr("[warn] cpu.warning-fail "));
  EXPECT_THAT(text, HasSubstr("[?]    cpu.blocker-unknown "));
  EXPECT_THAT(text, HasSubstr("[ERR]  cpu.blocker-error "));
  EXPECT_THAT(text, HasSubstr("[skip] cpu.blocker-skip "));
  for (char c : text) ASSERT_LT(static_cast<unsigned char>(c), 0x80) << "non-ASCII byte in ASCII mode";
}

TEST(TextReport, ProblemsCarryWhyFixesAndSubject) {
  std::vector<std::string> lines = lines_of(render_text(testing::full_report(), plain()));
  std::size_t at = index_of_line(lines, "  ✗ cpu.blocker-fail ");
  ASSERT_LT(at + 4, lines.size());
  EXPECT_THAT(lines[at + 1], HasSubstr("why: Why cpu.blocker-fail matters"));
  EXPECT_THAT(lines[at + 2], HasSubstr("fix: Fix cpu.blocker-fail by hand"));
  EXPECT_THAT(lines[at + 3], HasSubstr("fix: Fix cpu.blocker-fail with the planner"));
  EXPECT_THAT(lines[at + 4], HasSubstr("see: REFERENCE.md section 4"));
  EXPECT_EQ(lines[at + 1].rfind("        why:", 0), 0u) << "details are indented under the result";

  std::size_t gpu = index_of_line(lines, "  ✗ gpu.flr ");
  EXPECT_THAT(lines[gpu + 1], HasSubstr("subject: 0000:09:00.0"));
  std::size_t error = index_of_line(lines, "  E cpu.warning-error ");
  EXPECT_THAT(lines[error + 1], HasSubstr("why: Why cpu.warning-error matters"));
}

TEST(TextReport, UnknownResultsNameTheMissingFactsAndTheirReasons) {
  std::string text = render_text(testing::full_report(), plain());
  EXPECT_THAT(text, HasSubstr("unknown: cpu.msr.vmx_locked: not root: /dev/cpu/0/msr needs root"));
  EXPECT_THAT(text, HasSubstr("unknown: xen.version: not collected"));
  EXPECT_THAT(text, Not(HasSubstr("unknown: cpu.vmx")));

  // A message that already names a missing fact and its reason is not followed by the same words again.
  RunReport report = testing::full_report();
  report.results[3].message = "Cannot tell (fact xen.version: not collected)";
  std::string stated = render_text(report, plain());
  EXPECT_THAT(stated, Not(HasSubstr("unknown: xen.version")));
  EXPECT_THAT(stated, HasSubstr("unknown: cpu.msr.vmx_locked: not root: /dev/cpu/0/msr needs root"));
}

TEST(TextReport, PassesAndSkipsAreCountedUnlessVerbose) {
  std::string text = render_text(testing::full_report(), plain());
  EXPECT_THAT(text, Not(HasSubstr("cpu.blocker-pass")));
  EXPECT_THAT(text, Not(HasSubstr("cpu.info-skip")));
  EXPECT_THAT(text, HasSubstr("✓ 3 passed, 3 skipped (not applicable)"));  // the CPU group

  std::string verbose = render_text(testing::full_report(), plain(true));
  EXPECT_THAT(verbose, HasSubstr("cpu.blocker-pass"));
  EXPECT_THAT(verbose, HasSubstr("gpu.flr is pass (blocker) [0000:08:00.0]"));
  EXPECT_THAT(verbose, Not(HasSubstr("Why cpu.blocker-pass")));
  EXPECT_THAT(verbose, Not(HasSubstr("passed, 3 skipped")));
}

TEST(TextReport, ResultTextIsAlignedInOneColumn) {
  std::string text = render_text(testing::full_report(), plain(true));
  std::set<std::size_t> columns;
  for (const std::string& line : lines_of(text)) {
    // Each result line repeats the rule id at the start of its message ("<id> is <status>").
    std::size_t is = line.find(" is ");
    if (line.rfind("  ", 0) != 0 || is == std::string::npos || line.find("why:") != std::string::npos) continue;
    if (std::isdigit(static_cast<unsigned char>(line[2]))) continue;  // "What to do first" is a numbered list
    std::size_t message = line.rfind(' ', is - 1) + 1;
    columns.insert(testing::column_of(line, message));
  }
  EXPECT_EQ(columns.size(), 1u);
}

TEST(TextReport, WrapsLongTextToTheWidthWithHangingIndent) {
  RunReport report = testing::full_report();
  std::string long_why;
  for (int i = 0; i < 40; ++i) long_why += "word" + std::to_string(i) + " ";
  report.results[1].why = long_why;
  std::string text = render_text(report, plain());
  std::vector<std::string> lines = lines_of(text);
  for (const std::string& line : lines) EXPECT_LE(testing::column_of(line, line.size()), 100u) << line;
  std::size_t why = index_of_line(lines, "why: word0 ");
  EXPECT_EQ(lines[why + 1].find_first_not_of(' '), lines[why].find("word0"));
  EXPECT_THAT(text, HasSubstr("word39"));
}

TEST(TextReport, ListsPluginErrorsAndDiagnostics) {
  std::string text = render_text(testing::full_report(), plain());
  EXPECT_THAT(text, HasSubstr("Plugin errors"));
  EXPECT_THAT(text, HasSubstr("E acpi 0.1.0: ptdoctor-acpi.so: ABI 1 but this ptdoctor speaks ABI 2"));
  EXPECT_THAT(text, HasSubstr("E acpi: /sys/firmware/acpi/tables/DMAR: offset 0x30"));
  EXPECT_THAT(text, HasSubstr("! pci: 0000:00:1f.3: config space truncated"));
  EXPECT_THAT(text, Not(HasSubstr("plugin cpu took")));
  EXPECT_THAT(text, HasSubstr("1 informational note not shown"));
  EXPECT_THAT(render_text(testing::full_report(), plain(true)), HasSubstr("i core: plugin cpu took 1.5 ms"));
}

TEST(TextReport, OpensWithTheVerdictAndEndsWithCountsAndWhatToRunNext) {
  std::vector<std::string> lines = lines_of(render_text(testing::full_report(), plain()));
  ASSERT_GE(lines.size(), 6u);
  EXPECT_EQ(lines[3], "");
  EXPECT_THAT(lines[4], HasSubstr("Verdict: NOT READY: 2 blockers failed"));
  // Each closing sentence on a line of its own, so the page width never splits one.
  EXPECT_EQ(lines[lines.size() - 3], "24 results: 9 passed, 6 failed (2 blockers, 3 warnings, 1 info), 3 unknown, 3 "
                                     "errors, 3 skipped.");
  EXPECT_EQ(lines[lines.size() - 2], "Folded results are counted under each topic: -v shows every result.");
  EXPECT_EQ(lines.back(), "Next: `ptdoctor explain RULE-ID` explains a rule; `ptdoctor plan` shows the changes it "
                          "would make.");
  EXPECT_EQ(lines_of(render_text(testing::full_report(), plain(true))).back(), lines.back());
  // The exit-code legend is in --help and the man page, not in every report.
  EXPECT_THAT(render_text(testing::full_report(), plain()), Not(HasSubstr("Exit code")));
}

TEST(TextReport, VerdictLineFollowsEachVerdict) {
  RunReport ready = testing::finish({});
  ready.results.push_back(testing::make_result("cpu.a", Severity::kBlocker, RuleStatus::kPass));
  ready = testing::finish(ready);
  EXPECT_THAT(render_text(ready, plain()), HasSubstr("Verdict: READY: every blocker passed"));

  RunReport warnings = ready;
  warnings.results.push_back(testing::make_result("cpu.b", Severity::kWarning, RuleStatus::kFail));
  warnings = testing::finish(warnings);
  EXPECT_THAT(render_text(warnings, plain()), HasSubstr("Verdict: READY WITH WARNINGS: no blocker failed, but 1"));

  RunReport unknown = ready;
  unknown.results.push_back(testing::make_result("cpu.c", Severity::kBlocker, RuleStatus::kUnknown));
  unknown = testing::finish(unknown);
  EXPECT_THAT(render_text(unknown, plain()), HasSubstr("Verdict: CANNOT JUDGE: 1 blocker could not be decided"));

  // Every blocker skipped: not READY, and the reason says so rather than "0 blockers could not be decided".
  RunReport skipped = testing::finish({});
  skipped.results.push_back(testing::make_result("cpu.a", Severity::kBlocker, RuleStatus::kSkip));
  skipped.results.push_back(testing::make_result("cpu.b", Severity::kWarning, RuleStatus::kPass));
  skipped = testing::finish(skipped);
  EXPECT_THAT(render_text(skipped, plain()), HasSubstr("Verdict: CANNOT JUDGE: no blocker passed or failed (each was "
                                                       "skipped)"));

  std::string empty = render_text(testing::empty_report(), plain());
  EXPECT_THAT(empty, HasSubstr("Verdict: CANNOT JUDGE: no rule was evaluated"));
  EXPECT_THAT(empty, HasSubstr("0 results: 0 passed, 0 failed, 0 skipped."));
}

TEST(TextReport, ColourOnlyWhenAsked) {
  std::string plain_text = render_text(testing::full_report(), plain(true));
  EXPECT_EQ(plain_text.find('\x1b'), std::string::npos);
  RenderOptions colour = plain(true);
  colour.color = true;
  std::string coloured = render_text(testing::full_report(), colour);
  EXPECT_THAT(coloured, HasSubstr("\x1b[32m✓\x1b[0m cpu.blocker-pass"));
  EXPECT_THAT(coloured, HasSubstr("\x1b[31m✗\x1b[0m cpu.blocker-fail"));
  EXPECT_THAT(coloured, HasSubstr("\x1b[33m!\x1b[0m cpu.warning-fail"));
  EXPECT_THAT(coloured, HasSubstr("\x1b[36m?\x1b[0m cpu.blocker-unknown"));
  EXPECT_THAT(coloured, HasSubstr("\x1b[1;31mVerdict: NOT READY\x1b[0m"));
}

TEST(TextReport, HostileStringsCannotInjectEscapesOrBreakLines) {
  for (bool colour : {false, true}) {
    RenderOptions options = plain(true);
    options.color = colour;
    std::string text = render_text(testing::hostile_report(), options);
    EXPECT_TRUE(testing::is_valid_utf8(text));
    EXPECT_THAT(text, Not(HasSubstr("\x1b[31mred")));
    if (!colour) {
      EXPECT_EQ(text.find('\x1b'), std::string::npos);
    }
    for (const std::string& line : lines_of(text)) {
      EXPECT_NE(line.rfind("# heading", 0), 0u) << "a message line escaped its indentation";
      EXPECT_NE(line.rfind("- item", 0), 0u) << "a message line escaped its indentation";
    }
    EXPECT_THAT(text, HasSubstr("Verdict: NOT READY"));
  }
}

TEST(TextReport, NeverPrintsFacts) {
  std::string text = render_text(testing::full_report(), plain(true));
  EXPECT_THAT(text, Not(HasSubstr("cpuid leaf 0x1 ecx bit 5")));  // provenance
  EXPECT_THAT(text, Not(HasSubstr("cpu.blocker-pass.fact")));    // a result's facts
}

}  // namespace
}  // namespace ptdoctor::reports
