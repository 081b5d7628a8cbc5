// One finding per problem (UX review finding 21): a rule that fails the same way for several devices is printed
// once with every device, its why and fixes once. Damaged inputs first (finding 12): a host whose files could not
// be read cleanly says so before what could not be judged, and "run as root" only where root is the cause.
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

std::size_t occurrences(const std::string& text, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

// The four functions of an ICH10 EHCI group behind one USB RMRR, as usb.rmrr-shared judges them: one message per
// function, the same why, and the same combined fix.
RunReport shared_rmrr_report() {
  RunReport report;
  report.tool_version = "0.1.0";
  report.host = {"hosts/x58", "root", "", "6.1.0-13-amd64"};
  for (const char* bdf : {"0000:00:1d.0", "0000:00:1d.1", "0000:00:1d.2", "0000:00:1d.7"}) {
    RuleResult result = testing::make_result("usb.rmrr-shared", Severity::kWarning, RuleStatus::kFail, bdf);
    result.title = "Passed USB controllers have no shared RMRR";
    result.message = std::string(bdf) + " is covered by a firmware RMRR shared with other devices";
    result.why = "Xen refuses to assign a device whose RMRR is shared.";
    result.fixes = {{"In the guest config: `pci = [ '0000:00:1d.0,rdm_policy=relaxed', "
                     "'0000:00:1d.7,rdm_policy=relaxed' ]`", nullptr}};
    report.results.push_back(std::move(result));
  }
  report.results.push_back(testing::make_result("gpu.flr", Severity::kWarning, RuleStatus::kFail, "0000:03:00.0"));
  return testing::finish(std::move(report));
}

RenderOptions unwrapped() {
  RenderOptions options;
  options.width = 0;
  options.unicode = false;
  return options;
}

TEST(Findings, ResultsOfOneRuleAboutSeveralDevicesAreOneFinding) {
  std::vector<const RuleResult*> all;
  RunReport report = shared_rmrr_report();
  for (const RuleResult& result : report.results) all.push_back(&result);
  std::vector<Finding> findings = group_findings(all);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].results.size(), 4u);
  EXPECT_EQ(finding_headline(findings[0]),
            "Passed USB controllers have no shared RMRR: fails for 0000:00:1d.0, 0000:00:1d.1, 0000:00:1d.2 and "
            "0000:00:1d.7");
  EXPECT_EQ(finding_fixes(findings[0]).size(), 1u);
  EXPECT_FALSE(findings[1].grouped());
}

TEST(Findings, DifferentStatusesOrWhysAreNotFolded) {
  RunReport report = shared_rmrr_report();
  report.results[1].status = RuleStatus::kUnknown;
  report.results[2].why = "Another reason";
  std::vector<const RuleResult*> all;
  for (const RuleResult& result : report.results) all.push_back(&result);
  EXPECT_EQ(group_findings(all).size(), 4u);  // {1d.0, 1d.7}, {1d.1}, {1d.2}, gpu.flr
}

TEST(Findings, TextPrintsTheWhyAndTheCombinedFixOnce) {
  std::string text = render_text(shared_rmrr_report(), unwrapped());
  // "What to do first" has one step for the four functions, then the GPU.
  EXPECT_THAT(text, HasSubstr("  1. [warn] usb.rmrr-shared: Passed USB controllers have no shared RMRR: fails for "
                              "0000:00:1d.0, 0000:00:1d.1, 0000:00:1d.2 and 0000:00:1d.7\n"));
  EXPECT_THAT(text, HasSubstr("  2. [warn] gpu.flr:"));
  EXPECT_EQ(occurrences(text, "Xen refuses to assign a device whose RMRR is shared."), 1u);
  EXPECT_EQ(occurrences(text, "rdm_policy=relaxed' ]`"), 2u);  // the first step's fix and the details' fix
  // Each function's own message stays, under the one finding.
  EXPECT_THAT(text, HasSubstr("        - 0000:00:1d.2 is covered by a firmware RMRR shared with other devices\n"));
  EXPECT_THAT(text, Not(HasSubstr("subject: 0000:00:1d")));
}

TEST(Findings, MarkdownPrintsOneItemWithANestedLinePerDevice) {
  std::string markdown = render_markdown(shared_rmrr_report(), unwrapped());
  EXPECT_THAT(markdown, HasSubstr("### Warnings (2)\n"));
  EXPECT_THAT(markdown, HasSubstr("- **`usb.rmrr-shared`**: Passed USB controllers have no shared RMRR: fails for "
                                  "0000:00:1d.0, 0000:00:1d.1, 0000:00:1d.2 and 0000:00:1d.7\n"
                                  "  - 0000:00:1d.0 is covered by a firmware RMRR shared with other devices\n"));
  EXPECT_EQ(occurrences(markdown, "\n  - Fix: In the guest config"), 1u);
}

// The broken fixture's kind of inputs: a truncated DMAR, a /proc/cpuinfo that is not one, a bad modprobe.d line,
// an xl info capture with junk; plus an informational note and a rules warning, which are no damaged input.
RunReport damaged_report(const std::string& source) {
  RunReport report;
  report.tool_version = "0.1.0";
  report.host = {source == "live" ? "/" : "hosts/broken", source, "", ""};
  report.diagnostics = {
      {"warning", "acpi", "/sys/firmware/acpi/tables/DMAR: offset 0x4: table length 512 runs past the end"},
      {"warning", "acpi", "/sys/firmware/acpi/tables/DMAR: offset 0x68: remapping structure length 0"},
      {"warning", "cpu", "/proc/cpuinfo: line 1: expected 'name : value', found 'garbage'"},
      {"warning", "kernel", "/etc/modprobe.d/broken.conf:2: unknown command \"frobnicate\""},
      {"warning", "pci", "/sys/bus/pci/devices/0000:00:01.0: absolute link target"},
      {"warning", "xen", "xl info (xl-info.txt): line 5: \"junk\" is not \"key : value\""},
      {"warning", "xen", "xl info: Xen version \"4.seventeen\" is not numeric; version unknown"},
      {"info", "kernel", "/proc/config.gz: read 300 options"},
      {"warning", "rules", "rules/x.yaml: a rule warning"},
  };
  RuleResult hvm = testing::make_result("xen.hvm", Severity::kBlocker, RuleStatus::kUnknown);
  hvm.message = "Cannot tell whether Xen can run HVM guests (fact xen.hvm: no xl info xen_caps)";
  report.results.push_back(hvm);
  report.unknown_reasons = {{"xen.hvm", "no xl info xen_caps"}};
  return testing::finish(std::move(report));
}

TEST(DamagedInputs, EachInputOnceWithItsProblemCount) {
  std::vector<DamagedInput> inputs = damaged_inputs(damaged_report("root"));
  std::vector<std::string> names;
  for (const DamagedInput& input : inputs) names.push_back(input.input + " " + std::to_string(input.problems));
  EXPECT_THAT(names, ::testing::ElementsAre("/sys/firmware/acpi/tables/DMAR 2", "/proc/cpuinfo 1",
                                            "/etc/modprobe.d/broken.conf 1", "/sys/bus/pci/devices/0000:00:01.0 1",
                                            "xl info (xl-info.txt) 2"));
  EXPECT_TRUE(damaged_inputs(testing::caused_report()).empty());
}

TEST(DamagedInputs, TextNamesThemRightUnderTheVerdictThenWhatCouldNotBeJudged) {
  std::string text = render_text(damaged_report("root"), unwrapped());
  std::size_t verdict = text.find("Verdict: CANNOT JUDGE: 1 blocker could not be decided: inputs are damaged");
  std::size_t heading = text.find("Damaged inputs (fix or capture them again)\n  [warn] "
                                  "/sys/firmware/acpi/tables/DMAR: 2 problems\n");
  std::size_t judged = text.find("  Could not be judged: xen.hvm\n");
  std::size_t first = text.find("What to do first");
  ASSERT_NE(verdict, std::string::npos) << text;
  ASSERT_NE(heading, std::string::npos) << text;
  EXPECT_LT(verdict, heading);
  EXPECT_LT(heading, judged);
  EXPECT_LT(judged, first);
  EXPECT_THAT(text, Not(HasSubstr("as root")));
}

TEST(DamagedInputs, MarkdownNamesThemBeforeWhatToDoFirst) {
  std::string markdown = render_markdown(damaged_report("root"), unwrapped());
  std::size_t heading = markdown.find("**Damaged inputs (fix or capture them again):**\n\n- "
                                      "`/sys/firmware/acpi/tables/DMAR`: 2 problems\n");
  ASSERT_NE(heading, std::string::npos) << markdown;
  EXPECT_LT(heading, markdown.find("## What to do first"));
  EXPECT_THAT(markdown, HasSubstr("Could not be judged: xen.hvm."));
}

// Root is advised only when a reason says a fact needs root, and then in the form that fits where the facts came
// from: on the host itself, or for a snapshot taken again.
TEST(VerdictReason, RunAsRootOnlyWhenAReasonSaysRootIsNeeded) {
  auto undecided = [](const std::string& source, const std::string& reason) {
    RunReport report;
    report.host = {source == "live" ? "/" : "copy", source, "", ""};
    RuleResult result = testing::make_result("cpu.msr", Severity::kBlocker, RuleStatus::kUnknown);
    result.message = "Cannot tell whether VT-x is locked on (fact cpu.msr: " + reason + ")";
    report.results.push_back(result);
    report.unknown_reasons = {{"cpu.msr", reason}};
    return verdict_reason(testing::finish(std::move(report)));
  };
  EXPECT_EQ(undecided("live", "not root (run ptdoctor as root to read it)"),
            "1 blocker could not be decided: some facts need root: run ptdoctor as root");
  EXPECT_EQ(undecided("snapshot", "not root (run ptdoctor as root to read it)"),
            "1 blocker could not be decided: some facts need root: capture the host again as root "
            "(`sudo ptdoctor snapshot`)");
  EXPECT_EQ(undecided("root", "no CPUID capture under the root copy"),
            "1 blocker could not be decided: see the reason given with each");
}

}  // namespace
}  // namespace ptdoctor::reports
