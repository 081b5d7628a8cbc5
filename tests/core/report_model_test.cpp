#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "ptdoctor/report.hpp"

namespace ptdoctor {
namespace {

TEST(ResultFacts, MadeFromAnObjectHoldsCopiesInPathOrder) {
  ResultFacts facts;
  {
    Json object = {{"pci.devices.0.bdf", "0000:00:02.0"}, {"cpu.vmx", true}, {"xen.version", nullptr}};
    facts = ResultFacts(object);
  }
  ASSERT_EQ(facts.size(), 3u);
  std::vector<std::string> paths;
  for (const auto& [path, value] : facts) paths.push_back(path);
  EXPECT_EQ(paths, (std::vector<std::string>{"cpu.vmx", "pci.devices.0.bdf", "xen.version"}));
  EXPECT_EQ(facts["cpu.vmx"], true);
  EXPECT_TRUE(facts["xen.version"].is_null());
  EXPECT_TRUE(facts.contains("xen.version"));
  EXPECT_FALSE(facts.contains("xen"));
  EXPECT_FALSE(facts.contains("cpu.vmx.x"));
  EXPECT_TRUE(facts["cpu.svm"].is_null()) << "not looked at: null";
  EXPECT_TRUE(ResultFacts(Json()).empty());
  EXPECT_TRUE(ResultFacts(Json::array({"cpu.vmx", true})).empty()) << "only an object has members";
  EXPECT_EQ(ResultFacts().to_json(), Json::object());
}

TEST(ResultFacts, RefersIntoItsOwnerAndKeepsItAlive) {
  auto tree = std::make_shared<const Json>(Json({{"cpu", {{"vmx", true}}}}));
  const Json* vmx = &(*tree)["cpu"]["vmx"];
  ResultFacts facts({{"cpu.svm", nullptr}, {"cpu.vmx", vmx}}, tree);
  tree.reset();
  EXPECT_EQ(&facts["cpu.vmx"], vmx) << "no copy";
  EXPECT_EQ(facts.to_json(), Json({{"cpu.svm", nullptr}, {"cpu.vmx", true}}));
  ResultFacts copy = facts;
  facts = ResultFacts();
  EXPECT_EQ(copy["cpu.vmx"], true) << "a copy keeps the tree alive too";
}

TEST(ResultFacts, ReplaceLeavesWhatItReferredToAlone) {
  auto tree = std::make_shared<const Json>(Json({{"host", "box"}}));
  ResultFacts facts({{"host", &(*tree)["host"]}}, tree);
  ResultFacts before = facts;
  facts.replace(0, "REDACTED");
  EXPECT_EQ(facts["host"], "REDACTED");
  EXPECT_EQ(before["host"], "box");
  EXPECT_EQ((*tree)["host"], "box");
}

RuleResult result(Severity severity, RuleStatus status) {
  RuleResult r;
  r.severity = severity;
  r.status = status;
  return r;
}

TEST(Verdict, BlockerFailureMeansNotReadyWhateverElse) {
  auto results = {result(Severity::kBlocker, RuleStatus::kFail), result(Severity::kBlocker, RuleStatus::kUnknown),
                  result(Severity::kWarning, RuleStatus::kFail)};
  EXPECT_EQ(compute_verdict(results), Verdict::kNotReady);
  EXPECT_EQ(exit_code_for(Verdict::kNotReady), 2);
}

TEST(Verdict, UndecidedBlockerMeansCannotJudge) {
  EXPECT_EQ(compute_verdict({result(Severity::kBlocker, RuleStatus::kUnknown),
                             result(Severity::kWarning, RuleStatus::kFail)}),
            Verdict::kUnknown);
  EXPECT_EQ(compute_verdict({result(Severity::kBlocker, RuleStatus::kError)}), Verdict::kUnknown);
  EXPECT_EQ(exit_code_for(Verdict::kUnknown), 3);
}

TEST(Verdict, WarningFailureMeansReadyWithWarnings) {
  EXPECT_EQ(compute_verdict({result(Severity::kBlocker, RuleStatus::kPass),
                             result(Severity::kWarning, RuleStatus::kFail)}),
            Verdict::kWarnings);
  EXPECT_EQ(exit_code_for(Verdict::kWarnings), 1);
}

TEST(Verdict, InfoAndSkipsDoNotChangeReady) {
  EXPECT_EQ(compute_verdict({result(Severity::kBlocker, RuleStatus::kPass), result(Severity::kInfo, RuleStatus::kFail),
                             result(Severity::kBlocker, RuleStatus::kSkip),
                             result(Severity::kWarning, RuleStatus::kUnknown)}),
            Verdict::kReady);
  EXPECT_EQ(exit_code_for(Verdict::kReady), 0);
}

TEST(Verdict, NothingJudgedIsUnknown) { EXPECT_EQ(compute_verdict({}), Verdict::kUnknown); }

// Skipped blockers are not passed ones: with none passed, nothing showed the host can do passthrough, whatever the
// warnings and infos say (test-audit 6.1: "every blocker skipped => ready").
TEST(Verdict, NoBlockerPassedIsUnknownNotReady) {
  EXPECT_EQ(compute_verdict({result(Severity::kBlocker, RuleStatus::kSkip), result(Severity::kBlocker, RuleStatus::kSkip),
                             result(Severity::kInfo, RuleStatus::kPass), result(Severity::kWarning, RuleStatus::kPass)}),
            Verdict::kUnknown);
  EXPECT_EQ(compute_verdict({result(Severity::kBlocker, RuleStatus::kSkip), result(Severity::kWarning, RuleStatus::kFail)}),
            Verdict::kUnknown);
  EXPECT_EQ(compute_verdict({result(Severity::kWarning, RuleStatus::kPass), result(Severity::kInfo, RuleStatus::kPass)}),
            Verdict::kUnknown);
  // One blocker that held is enough for the skips beside it not to matter.
  EXPECT_EQ(compute_verdict({result(Severity::kBlocker, RuleStatus::kSkip), result(Severity::kBlocker, RuleStatus::kPass)}),
            Verdict::kReady);
}

// What the absent facts would have shown is not known: ready and warnings become cannot judge.
TEST(Verdict, PluginProblemMeansCannotJudgeInsteadOfReady) {
  const std::vector<PluginProblem> missing = {{"usb", PluginProblemKind::kMissing, "no ptdoctor-usb.so in /x"}};
  EXPECT_EQ(compute_verdict({result(Severity::kBlocker, RuleStatus::kPass)}, missing), Verdict::kUnknown);
  EXPECT_EQ(compute_verdict({result(Severity::kWarning, RuleStatus::kFail)}, missing), Verdict::kUnknown);
  EXPECT_EQ(compute_verdict({result(Severity::kBlocker, RuleStatus::kPass)}, {}), Verdict::kReady);
}

// A blocker that failed on the facts that were collected still has to be fixed.
TEST(Verdict, PluginProblemKeepsNotReadyForAFailedBlocker) {
  const std::vector<PluginProblem> failed = {{"pci", PluginProblemKind::kFailed, "threw"}};
  EXPECT_EQ(compute_verdict({result(Severity::kBlocker, RuleStatus::kFail)}, failed), Verdict::kNotReady);
}

TEST(Summary, CountsEveryStatusAndFailedSeverities) {
  Summary s = summarize({result(Severity::kBlocker, RuleStatus::kFail), result(Severity::kWarning, RuleStatus::kFail),
                         result(Severity::kInfo, RuleStatus::kPass), result(Severity::kInfo, RuleStatus::kSkip),
                         result(Severity::kBlocker, RuleStatus::kUnknown), result(Severity::kInfo, RuleStatus::kError)});
  EXPECT_EQ(s.fail, 2);
  EXPECT_EQ(s.pass, 1);
  EXPECT_EQ(s.skip, 1);
  EXPECT_EQ(s.unknown, 1);
  EXPECT_EQ(s.error, 1);
  EXPECT_EQ(s.blockers_failed, 1);
  EXPECT_EQ(s.warnings_failed, 1);
}

}  // namespace
}  // namespace ptdoctor
