// `fix --apply` changes nothing without consent: not while failing blockers remain that no planned step fixes
// (unless --force), and not without --yes when there is no terminal to ask, for file changes as for commands.
// Once, on a virtual machine with no Xen and no IOMMU, it wrote /etc/default/grub and a kernel fragment unasked.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_runner.hpp"
#include "fix/consent.hpp"
#include "ptdoctor/exit_codes.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

namespace fs = std::filesystem;

RuleResult failing_blocker(const std::string& id) {
  RuleResult result;
  result.rule_id = id;
  result.severity = Severity::kBlocker;
  result.status = RuleStatus::kFail;
  result.message = id + " failed";
  return result;
}

TEST(FixConsent, BlockersWhoseFixWasPlannedAreAddressedTheRestAreNamed) {
  fix::Plan plan;
  plan.addressed = {"kernel.pciback-hide"};
  RuleResult warning = failing_blocker("usb.rmrr-shared");
  warning.severity = Severity::kWarning;
  RuleResult passing = failing_blocker("cpu.vmx");
  passing.status = RuleStatus::kPass;
  RuleResult per_item = failing_blocker("gpu.flr");
  per_item.subject = "0000:08:00.0";
  auto open = fix::unaddressed_blockers(
      plan, {failing_blocker("kernel.pciback-hide"), failing_blocker("xen.running"), warning, passing, per_item});
  EXPECT_EQ(open, (std::vector<std::string>{"xen.running: xen.running failed",
                                            "gpu.flr [0000:08:00.0]: gpu.flr failed"}));
}

TEST(FixConsent, ChangesAreCountedForTheQuestion) {
  fix::Plan plan;
  EXPECT_EQ(fix::describe_changes(plan, true), "");
  fix::PlanStep file;
  file.kind = "write-file";
  file.file = fix::FileChange{"/etc/x", false, "", std::nullopt, "new\n", 0644};
  fix::PlanStep command;
  command.kind = "command";
  fix::PlanStep manual;
  manual.kind = "manual";
  plan.steps = {file, file, command, manual};
  EXPECT_EQ(fix::describe_changes(plan, true), "2 file changes and 1 command");
  // Not the live host: the command is only listed, so the question is about the files alone.
  EXPECT_EQ(fix::describe_changes(plan, false), "2 file changes");
  plan.steps = {command, manual};
  EXPECT_EQ(fix::describe_changes(plan, false), "");
}

// The last line of fix --apply counts what it counts: files changed, commands run, and what is left to the user,
// never "steps" (a manual step or a listed command is not something that was applied).
TEST(FixConsent, TheSummaryNamesWhatItCounts) {
  fix::ApplyOutcome outcome;
  outcome.files_changed = 4;
  outcome.manual_steps = 3;
  EXPECT_EQ(fix::describe_outcome(outcome), "Applied: 4 files changed. Left to you (listed above): 3 steps by hand.");
  outcome.files_unchanged = 1;
  outcome.commands_run = 1;
  outcome.commands_not_run = 2;
  EXPECT_EQ(fix::describe_outcome(outcome),
            "Applied: 4 files changed, 1 command run (1 file already as planned). Left to you (listed above): 2 "
            "commands to run yourself, 3 steps by hand.");
  fix::ApplyOutcome nothing;
  nothing.files_unchanged = 2;
  EXPECT_EQ(fix::describe_outcome(nothing),
            "Already applied: nothing was changed (2 files already as planned); no journal was written.");
}

// A copy of a generated fixture host that is not ready and that no file change can make ready: amd-desktop booted
// Linux directly and has no Xen package (xen.running), and its kernel gets no Xen GRUB entry.
class FixConsentCli : public ::testing::Test {
 protected:
  void SetUp() override { copy_host("amd-desktop"); }
  void copy_host(const std::string& host) {
    if (!root.empty()) fs::remove_all(root);
    root = copy_fixture_host(host, tree);
  }
  std::vector<std::string> apply(std::vector<std::string> extra) {
    std::vector<std::string> args = {"fix", "--apply", "--root", root, "--name", "win"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  bool changed() const {
    return fs::exists(root + "/etc/ptdoctor") || fs::exists(root + "/etc/xen/win.cfg") ||
           fs::exists(root + "/var/lib/ptdoctor");
  }
  TempTree tree;
  std::string root;
};

TEST_F(FixConsentCli, RefusesWhileBlockersRemainThatNoStepFixesAndNamesThem) {
  CliResult result = run_ptdoctor(apply({"--yes"}));
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("blocker(s) remain that no planned step fixes"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("--force"), std::string::npos) << result.err;
  EXPECT_FALSE(changed());
}

// intel-modern has Xen installed but booted without it: every blocker is one the plan addresses (the hide list and
// /etc/modules for pciback, the reboot into GRUB's Xen entry), so the same command applies.
TEST_F(FixConsentCli, AppliesWhenEveryBlockerHasAPlannedStepIncludingTheRebootIntoXen) {
  copy_host("intel-modern");
  CliResult result = run_ptdoctor(apply({"--yes"}));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(changed());
  EXPECT_NE(result.out.find("with Xen hypervisor"), std::string::npos) << result.out;
}

TEST_F(FixConsentCli, WithoutATerminalItNeedsYesForFileChangesToo) {
  CliResult result = run_ptdoctor(apply({"--force"}));  // stdin is /dev/null: no terminal
  EXPECT_EQ(result.exit_code, kExitUsage) << result.err;
  EXPECT_NE(result.err.find("--yes"), std::string::npos) << result.err;
  EXPECT_FALSE(changed());
}

TEST_F(FixConsentCli, ForceAndYesApplyTheStepsThatWerePlanned) {
  CliResult result = run_ptdoctor(apply({"--force", "--yes"}));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(changed()) << result.out;
}

}  // namespace
}  // namespace ptdoctor::testing
