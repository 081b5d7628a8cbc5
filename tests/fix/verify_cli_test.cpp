// `ptdoctor verify` end to end, on copies of generated fixture hosts through the real plugins: which plan it
// verifies (the latest journal's, else the plan for the current options), each check's status and reason, and the
// exit code (0 every step took effect, 2 one did not, 3 one cannot be checked here). verify_test.cpp covers
// verify_setup on hand-made facts; this covers the command around it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "cli_runner.hpp"
#include "ptdoctor/json.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kNoJournal = "the plan for the current options (no journal found)";

struct Verified {
  CliResult run;
  Json report;  // {"source": ..., "checks": [{"id", "status", "message"}]}
  std::map<std::string, Json> checks;  // by id
};

Verified verify_json(const std::string& root) {
  Verified verified;
  verified.run = run_ptdoctor({"verify", "--format", "json", "--root", root});
  verified.report = Json::parse(verified.run.out, nullptr, false);
  EXPECT_FALSE(verified.report.is_discarded()) << verified.run.out << verified.run.err;
  if (verified.report.is_object()) {
    for (const Json& check : verified.report["checks"]) verified.checks[check.value("id", "")] = check;
  }
  return verified;
}

// update-grub as far as verify can tell: grub.cfg holds every word of /etc/default/grub's boot lines (the copy of
// the fixture host is /host in the tree).
void run_update_grub(const TempTree& tree) {
  tree.write("/host/boot/grub/grub.cfg", tree.read("/host/etc/default/grub"));
}

// The guide's machine, rebooted under Xen with its IOMMU on and pciback holding the card; grub.cfg is not in the
// fixture. Before an apply verify judges the plan as it would be now (grub.cfg unreadable: 3); after the apply and
// update-grub every step of the journal's plan has taken effect (0).
TEST(VerifyCli, ASetUpHostIsCannotCheckWithoutGrubCfgAndAllOkAfterApplyAndUpdateGrub) {
  TempTree tree;
  const std::string root = copy_fixture_host("guide-ich10", tree);
  Verified before = verify_json(root);
  EXPECT_EQ(before.run.exit_code, 3) << before.run.out << before.run.err;
  EXPECT_EQ(before.report["source"], kNoJournal);
  EXPECT_EQ(before.checks["grub.generated"]["status"], "unknown") << before.run.out;
  EXPECT_EQ(before.checks["xen.iommu"]["status"], "ok") << before.run.out;
  EXPECT_EQ(before.checks["pciback.0000:08:00.0"]["status"], "ok") << before.run.out;
  EXPECT_EQ(before.checks["pciback.0000:08:00.1"]["status"], "ok") << before.run.out;

  CliResult applied = run_ptdoctor({"fix", "--apply", "--yes", "--root", root});
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  run_update_grub(tree);
  CliResult text = run_ptdoctor({"verify", "--root", root});
  EXPECT_EQ(text.exit_code, 0) << text.out << text.err;
  EXPECT_NE(text.out.find("Verifying journal "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("ok   /boot/grub/grub.cfg has the plan's boot options\n"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("FAIL"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Every step took effect.\n"), std::string::npos) << text.out;
}

// The X58 under Xen's defaults: pciback holds the card, but Xen switched VT-d off for the chipset's
// interrupt-remapping errata. verify must name that cause, not send the user to the firmware setup.
TEST(VerifyCli, IommuOffOnTheX58NamesNoIntremapNotTheFirmware) {
  TempTree tree;
  const std::string root = copy_fixture_host("x58-xen-default", tree);
  Verified verified = verify_json(root);
  EXPECT_EQ(verified.run.exit_code, 2) << verified.run.out << verified.run.err;
  const Json& iommu = verified.checks["xen.iommu"];
  EXPECT_EQ(iommu["status"], "fail") << verified.run.out;
  const std::string message = iommu.value("message", "");
  EXPECT_NE(message.find("iommu=no-intremap"), std::string::npos) << message;
  EXPECT_EQ(message.find("firmware"), std::string::npos) << message;
  EXPECT_EQ(verified.checks["pciback.0000:08:00.0"]["status"], "ok") << verified.run.out;
}

// After `fix --apply` verify judges the plan the journal kept, even when the host has changed since: each step is
// followed through update-grub and the reboot, and once the apply is rolled back there is no journal to follow.
TEST(VerifyCli, AfterAnApplyItFollowsTheJournalsPlanThroughUpdateGrubAndTheReboot) {
  TempTree tree;
  const std::string root = copy_fixture_host("intel-modern", tree);
  Verified fresh = verify_json(root);
  EXPECT_EQ(fresh.report["source"], kNoJournal);

  CliResult applied = run_ptdoctor({"fix", "--apply", "--yes", "--root", root, "--name", "win"});
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  const std::string journal_dir = root + "/var/lib/ptdoctor/journal";
  ASSERT_TRUE(fs::is_directory(journal_dir));
  const std::string id = fs::directory_iterator(journal_dir)->path().filename().string();

  // Applied, but update-grub never ran (under --root commands are only listed): grub.cfg lacks the new words, and
  // that, not the driver, is why pciback holds nothing.
  tree.write("/host/boot/grub/grub.cfg", "menuentry 'Debian GNU/Linux' {\n\tlinux /vmlinuz root=/dev/sda1 ro quiet\n}\n");
  Verified stale = verify_json(root);
  EXPECT_EQ(stale.run.exit_code, 2) << stale.run.out << stale.run.err;
  EXPECT_EQ(stale.report["source"], "journal " + id);
  EXPECT_EQ(stale.checks["grub.generated"]["status"], "fail") << stale.run.out;
  EXPECT_NE(stale.checks["grub.generated"].value("message", "").find("update-grub has not run"), std::string::npos)
      << stale.run.out;
  const Json& gpu = stale.checks["pciback.0000:01:00.0"];
  EXPECT_EQ(gpu["status"], "fail") << stale.run.out;
  EXPECT_NE(gpu.value("message", "").find("update-grub has not run"), std::string::npos) << stale.run.out;

  // update-grub ran, the machine did not reboot yet: it still runs Linux without Xen.
  run_update_grub(tree);
  Verified unbooted = verify_json(root);
  EXPECT_EQ(unbooted.run.exit_code, 2) << unbooted.run.out << unbooted.run.err;
  EXPECT_EQ(unbooted.report["source"], "journal " + id);
  EXPECT_EQ(unbooted.checks["grub.generated"]["status"], "ok") << unbooted.run.out;
  EXPECT_NE(unbooted.checks["pciback.0000:01:00.0"].value("message", "").find("this boot is not a Xen dom0: reboot "
                                                                                  "into GRUB's"),
            std::string::npos)
      << unbooted.run.out;
  EXPECT_EQ(unbooted.checks["xen.iommu"]["status"], "unknown") << unbooted.run.out;  // not booted under Xen

  // Rolled back: the journal is spent, verify falls back to the plan for the current options.
  CliResult rolled = run_ptdoctor({"rollback", "--yes", "--root", root});
  ASSERT_EQ(rolled.exit_code, 0) << rolled.out << rolled.err;
  Verified after = verify_json(root);
  EXPECT_EQ(after.report["source"], kNoJournal) << after.run.out;
}

// A host without /etc/default/grub: the plan's boot options are nowhere, a failed step (2), said as such.
// A journal whose plan.json cannot be loaded is named, with the reason, instead of "no journal found".
TEST(VerifyCli, AJournalWhosePlanCannotBeReadIsSaidNotPassedOver) {
  TempTree tree;
  const std::string root = copy_fixture_host("intel-modern", tree);
  CliResult applied = run_ptdoctor({"fix", "--apply", "--yes", "--root", root, "--name", "win"});
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  const std::string journal_dir = root + "/var/lib/ptdoctor/journal";
  const std::string id = fs::directory_iterator(journal_dir)->path().filename().string();
  std::ofstream(journal_dir + "/" + id + "/plan.json", std::ios::trunc)
      << R"({"format": 1, "root": "/", "steps": [{"id": "x", "kind": "command", "argv": ["sh", "-c", "true"]}]})";
  Verified verified = verify_json(root);
  EXPECT_EQ(verified.report["source"], "the plan for the current options (journal " + id + "'s plan cannot be read)");
  EXPECT_NE(verified.run.err.find("journal " + id + ": its plan cannot be read"), std::string::npos)
      << verified.run.err;
  EXPECT_NE(verified.run.err.find("command not allowed in a plan file"), std::string::npos) << verified.run.err;
}

TEST(VerifyCli, NoGrubDefaultsIsAFailedStepThatSaysWhatToRun) {
  TempTree tree;
  const std::string root = copy_fixture_host("intel-modern", tree);
  fs::remove(root + "/etc/default/grub");
  Verified verified = verify_json(root);
  EXPECT_EQ(verified.run.exit_code, 2) << verified.run.out << verified.run.err;
  const Json& grub = verified.checks["grub.defaults"];
  EXPECT_EQ(grub["status"], "fail") << verified.run.out;
  EXPECT_NE(grub.value("message", "").find("ptdoctor fix --apply"), std::string::npos) << verified.run.out;
}

}  // namespace
}  // namespace ptdoctor::testing
