// End to end: the staged ptdoctor binary's plan, fix, rollback and verify on a host tree (no plugins, no rules,
// so the test does not depend on their facts: the choices alone drive the plan).
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "fix_test_util.hpp"
#include "guide_machine.hpp"
#include "ptdoctor/json.hpp"
#include "temp_tree.hpp"
#include "unprivileged.hpp"
#include "xl_oracle.hpp"

namespace ptdoctor::fix {
namespace {

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    // The same build stages the binary (ptdoctor_add_test depends on it): missing is a failure, not a skip.
    ASSERT_TRUE(std::filesystem::exists(PTDOCTOR_BIN)) << "no staged binary at " << PTDOCTOR_BIN;
    testing::write_guide_tree(tree);
  }
  std::string run(std::vector<std::string> args, int* status) {
    std::vector<std::string> argv = {PTDOCTOR_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::run_program(argv, status);
  }
  std::vector<std::string> host_args() {
    return {"--root", tree.path(), "--no-default-plugins", "--no-default-rules", "--gpu", "08:00.0", "--usb",
            "00:1d.7", "--name", "win", "--disk", "phy:/dev/vg_ssd/win7system,hda,w"};
  }
  testing::TempTree tree;
};

TEST_F(Cli, PlanJsonApplyIdempotentRollbackIdentical) {
  std::string grub = tree.read("/etc/default/grub");
  int status = -1;
  auto args = host_args();
  args.insert(args.begin(), {"plan", "--format", "json"});
  Json plan = Json::parse(run(args, &status));
  ASSERT_EQ(status, 0);
  EXPECT_EQ(plan["hide_list"], (Json{"0000:08:00.0", "0000:00:1d.7"}));

  args = host_args();
  args.insert(args.begin(), {"fix", "--apply", "--yes"});
  run(args, &status);
  ASSERT_EQ(status, 0);
  EXPECT_TRUE(tree.exists("/etc/xen/win.cfg"));
  EXPECT_NE(tree.read("/etc/default/grub"), grub);
  std::string out = run(args, &status);
  EXPECT_EQ(status, 0);
  EXPECT_NE(out.find("Already applied: nothing was changed"), std::string::npos) << out;

  run({"rollback", "--root", tree.path(), "--yes"}, &status);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(tree.read("/etc/default/grub"), grub);
  EXPECT_FALSE(tree.exists("/etc/xen/win.cfg"));
}

TEST_F(Cli, DryRunChangesNothingAndBadNameIsAUsageError) {
  std::string grub = tree.read("/etc/default/grub");
  int status = -1;
  auto args = host_args();
  args.insert(args.begin(), "fix");
  std::string out = run(args, &status);
  EXPECT_EQ(status, 0);
  EXPECT_NE(out.find("Dry run: nothing was changed."), std::string::npos);
  EXPECT_EQ(tree.read("/etc/default/grub"), grub);
  args = host_args();
  args.insert(args.begin(), "plan");
  args.back() = "phy:/dev/vg/lv,hda,w;reboot";
  run(args, &status);
  EXPECT_EQ(status, 64);
}

// The acceptance: the guide's fixture host, through the real plugins, gives the guide's six devices and a
// domU config libxlutil accepts.
TEST(CliAcceptance, GuideFixtureHostPlansTheGuidesSixDevices) {
  std::string root = testing::fixture_host("guide-ich10");
  ASSERT_TRUE(std::filesystem::exists(PTDOCTOR_BIN)) << "no staged binary at " << PTDOCTOR_BIN;
  ASSERT_TRUE(std::filesystem::is_directory(root)) << "no generated fixture " << root;
  int status = -1;
  std::string out = testing::run_program({PTDOCTOR_BIN, "plan", "--format", "json", "--root", root, "--gpu", "08:00.0",
                                          "--usb", "00:1d.7", "--name", "win", "--disk",
                                          "phy:/dev/vg_ssd/win7system,hda,w"},
                                         &status);
  ASSERT_EQ(status, 0) << out;
  Json plan = Json::parse(out);
  std::set<std::string> hidden;
  for (const Json& bdf : plan["hide_list"]) hidden.insert(bdf.get<std::string>());
  EXPECT_EQ(hidden, (std::set<std::string>{"0000:08:00.0", "0000:08:00.1", "0000:00:1d.0", "0000:00:1d.1",
                                           "0000:00:1d.2", "0000:00:1d.7"}));
  bool found = false;
  for (const Json& step : plan["steps"]) {
    if (step["id"] != "domu.config") continue;
    found = true;
    testing::XlParsed parsed = testing::parse_with_libxlutil(step["content"].get<std::string>());
    ASSERT_TRUE(parsed.ok) << parsed.error;
    EXPECT_EQ(std::set<std::string>(parsed.pci_bdf.begin(), parsed.pci_bdf.end()), hidden);
    EXPECT_FALSE(parsed.has("builder"));
    EXPECT_FALSE(parsed.has("gfx_passthru"));
    EXPECT_FALSE(parsed.has("device_model_version"));
  }
  EXPECT_TRUE(found);
}

// The guard of fix --apply on the live / (require_root_for_live): run as nobody even in CI, which runs as root
// (tests/support/unprivileged.hpp). --no-default-plugins/rules and no --gpu: the plan is nearly empty, and nobody
// cannot write under / anyway, so a broken guard changes nothing on the test machine.
TEST_F(Cli, ApplyingToTheRealRootNeedsRoot) {
  auto result = testing::run_ptdoctor_unprivileged(
      {"fix", "--apply", "--no-default-plugins", "--no-default-rules", "--name", "win"});
  EXPECT_EQ(result.exit_code, 64) << result.out << result.err;
  EXPECT_NE(result.err.find("fix --apply changes files under / and needs root"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace ptdoctor::fix
