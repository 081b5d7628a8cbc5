// Journals you can trust, end to end on a copy of a generated fixture host through the real plugins and rules:
// `fix --apply` twice (the second changes nothing and leaves no journal), then `rollback --yes` (no id) restores
// the original bytes and modes of every file. Once, the second apply wrote an empty journal and rollback "rolled
// back" that one, leaving the real changes in place. And --apply refuses what it cannot change for good: a
// snapshot (its extraction is deleted on exit) and a root this user cannot write.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "cli_runner.hpp"
#include "ptdoctor/exit_codes.hpp"
#include "ptdoctor/json.hpp"
#include "temp_tree.hpp"
#include "unprivileged.hpp"

namespace ptdoctor::testing {
namespace {

namespace fs = std::filesystem;

// Every regular file and symlink of the tree outside the journals: path -> (mode, bytes or link target).
std::map<std::string, std::pair<unsigned, std::string>> files_of(const std::string& root) {
  std::map<std::string, std::pair<unsigned, std::string>> files;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const std::string relative = it->path().string().substr(root.size());
    if (relative.rfind("/var/lib/ptdoctor", 0) == 0) continue;
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0) continue;
    if (S_ISLNK(st.st_mode)) {
      files[relative] = {0, "-> " + fs::read_symlink(it->path()).string()};
    } else if (S_ISREG(st.st_mode)) {
      std::ifstream in(it->path(), std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      files[relative] = {st.st_mode & 07777, bytes.str()};
    } else if (S_ISDIR(st.st_mode)) {
      files[relative + "/"] = {st.st_mode & 07777, ""};
    }
  }
  return files;
}

// The paths an apply printed as "changed: PATH" or "created: PATH".
std::vector<std::pair<std::string, std::string>> written(const std::string& out) {
  std::vector<std::pair<std::string, std::string>> paths;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    for (const char* verb : {"changed: ", "created: "}) {
      if (line.rfind(verb, 0) == 0) paths.emplace_back(verb, line.substr(std::string(verb).size()));
    }
  }
  return paths;
}

// intel-modern has Xen installed but booted without it; every blocker is one the plan addresses, so --apply goes
// ahead (tests/inputs/fix_consent_test.cpp).
class ApplyRollbackCli : public ::testing::Test {
 protected:
  void SetUp() override { root = copy_fixture_host("intel-modern", tree); }
  CliResult apply(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"fix", "--apply", "--yes", "--root", root, "--name", "win"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_ptdoctor(args);
  }
  std::vector<std::string> journals() const {
    std::vector<std::string> ids;
    const std::string dir = root + "/var/lib/ptdoctor/journal";
    if (!fs::is_directory(dir)) return ids;
    for (const auto& entry : fs::directory_iterator(dir)) ids.push_back(entry.path().filename().string());
    return ids;
  }
  TempTree tree;
  std::string root;
};

TEST_F(ApplyRollbackCli, ApplyTwiceThenRollbackRestoresTheOriginalBytesOfEveryFile) {
  const auto original = files_of(root);

  CliResult first = apply();
  ASSERT_EQ(first.exit_code, 0) << first.err << first.out;
  const auto changes = written(first.out);
  ASSERT_FALSE(changes.empty()) << first.out;
  EXPECT_NE(first.out.find("Applied: " + std::to_string(changes.size()) + " file"), std::string::npos) << first.out;
  EXPECT_EQ(first.out.find("step(s)"), std::string::npos) << first.out;
  ASSERT_EQ(journals().size(), 1u);
  const auto applied = files_of(root);
  EXPECT_NE(applied, original);

  CliResult second = apply();
  ASSERT_EQ(second.exit_code, 0) << second.err << second.out;
  EXPECT_NE(second.out.find("Already applied: nothing was changed"), std::string::npos) << second.out;
  EXPECT_EQ(second.out.find("Journal "), std::string::npos) << second.out;
  EXPECT_TRUE(written(second.out).empty()) << second.out;
  EXPECT_EQ(journals().size(), 1u);  // no empty journal for rollback to pick
  EXPECT_EQ(files_of(root), applied);

  // --list says, per journal, what rolling it back would do.
  CliResult list = run_ptdoctor({"rollback", "--list", "--root", root});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find(journals().front() + "  (latest"), std::string::npos) << list.out;
  for (const auto& [verb, path] : changes) {
    const std::string line = verb == std::string("changed: ") ? "  restore " + path + "\n"
                                                              : "  remove " + path + " (created by the apply)\n";
    EXPECT_NE(list.out.find(line), std::string::npos) << line << " not in\n" << list.out;
  }

  CliResult rollback = run_ptdoctor({"rollback", "--yes", "--root", root});
  ASSERT_EQ(rollback.exit_code, 0) << rollback.err << rollback.out;
  EXPECT_NE(rollback.out.find("Rolled back " + journals().front()), std::string::npos) << rollback.out;
  EXPECT_EQ(files_of(root), original);

  CliResult again = run_ptdoctor({"rollback", "--yes", "--root", root});
  EXPECT_EQ(again.exit_code, kExitUsage) << again.out;
  EXPECT_NE(again.err.find("no journal to roll back"), std::string::npos) << again.err;
  CliResult listed = run_ptdoctor({"rollback", "--list", "--root", root});
  EXPECT_NE(listed.out.find(journals().front() + "  rolled back"), std::string::npos) << listed.out;
}

// A damaged backup (its checksum is in journal.json) is never written back: rollback names the file and the backup,
// restores every other file, exits 1 (not 70: the host's data is bad, ptdoctor is not) and keeps the journal open.
TEST_F(ApplyRollbackCli, ADamagedBackupIsNamedAndEveryOtherFileIsRolledBack) {
  const auto original = files_of(root);
  CliResult first = apply();
  ASSERT_EQ(first.exit_code, 0) << first.err << first.out;
  ASSERT_EQ(journals().size(), 1u);
  const std::string journal_dir = root + "/var/lib/ptdoctor/journal/" + journals().front();
  std::ifstream journal_file(journal_dir + "/journal.json");
  const Json journal = Json::parse(journal_file);
  std::string damaged_path, backup;
  for (const Json& entry : journal.at("entries")) {
    if (entry.at("existed").get<bool>()) {
      damaged_path = entry.at("path").get<std::string>();
      backup = journal_dir + "/files/" + entry.at("backup").get<std::string>();
      break;
    }
  }
  ASSERT_FALSE(backup.empty()) << "the apply edited no existing file:\n" << first.out;
  std::ofstream(backup, std::ios::trunc) << "not what was there\n";
  const auto applied = files_of(root);

  CliResult rollback = run_ptdoctor({"rollback", "--yes", "--root", root});
  EXPECT_EQ(rollback.exit_code, 1) << rollback.err << rollback.out;
  EXPECT_NE(rollback.err.find("not restored: " + damaged_path + ": its backup " + backup +
                              " does not match the checksum the journal recorded"),
            std::string::npos)
      << rollback.err;
  EXPECT_NE(rollback.out.find("Rolled back " + journals().front() + " except 1 file(s)"), std::string::npos)
      << rollback.out;
  EXPECT_EQ(rollback.out.find("restored: " + damaged_path + "\n"), std::string::npos) << rollback.out;
  auto expected = original;  // all as before the apply, but the damaged one as the apply left it
  expected[damaged_path] = applied.at(damaged_path);
  EXPECT_EQ(files_of(root), expected);
  CliResult listed = run_ptdoctor({"rollback", "--list", "--root", root});
  EXPECT_NE(listed.out.find(journals().front() + "  (latest"), std::string::npos) << listed.out;
}

// A regenerating command (update-initramfs, update-grub: no inverse) that an apply started but did not finish
// wrote from the files rollback now restores: rollback tells the user to run it again, as it does for one that
// ended well. The journal is the one a live apply leaves when ptdoctor is killed during update-initramfs (outcome
// "started") after update-grub failed; under --root commands are only listed, so the outcomes are set by hand.
TEST_F(ApplyRollbackCli, RegeneratingCommandsCutShortAreNamedToRunAgain) {
  CliResult first = apply();
  ASSERT_EQ(first.exit_code, 0) << first.err << first.out;
  ASSERT_EQ(journals().size(), 1u);
  const std::string journal_path = root + "/var/lib/ptdoctor/journal/" + journals().front() + "/journal.json";
  std::ifstream journal_in(journal_path);
  Json journal = Json::parse(journal_in);
  journal_in.close();
  // intel-modern's pciback is built in (hidden on the kernel line), so its plan has update-grub only; a host with
  // a modular pciback adds update-initramfs after it (core/fix/planner.cpp).
  ASSERT_EQ(journal.at("commands").size(), 1u) << journal.dump(2);
  ASSERT_EQ(journal["commands"][0].at("argv"), Json({"update-grub"})) << journal.dump(2);
  journal["commands"][0]["outcome"] = "exited with status 1";
  journal["commands"].push_back({{"argv", {"update-initramfs", "-u"}}, {"outcome", "started"}});
  std::ofstream(journal_path, std::ios::trunc) << journal.dump(2);

  CliResult list = run_ptdoctor({"rollback", "--list", "--root", root});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("`update-initramfs -u` was started and never reported back (ptdoctor was stopped while it "
                          "ran): run it again after the rollback"),
            std::string::npos)
      << list.out;
  EXPECT_NE(list.out.find("`update-grub` failed (exited with status 1): run it again after the rollback"),
            std::string::npos)
      << list.out;

  CliResult rollback = run_ptdoctor({"rollback", "--yes", "--root", root});
  ASSERT_EQ(rollback.exit_code, 0) << rollback.err << rollback.out;
  EXPECT_NE(rollback.out.find("Now run: update-initramfs -u\nNow run: update-grub\n"), std::string::npos)
      << rollback.out;
}

TEST_F(ApplyRollbackCli, ApplyRefusesASnapshotAndAPartsList) {
  const std::string archive = tree.at("/host.tar.gz");
  CliResult snapshot = run_ptdoctor({"snapshot", "--root", root, "-o", archive});
  ASSERT_EQ(snapshot.exit_code, 0) << snapshot.err;
  const auto before = files_of(root);
  CliResult refused = run_ptdoctor({"fix", "--apply", "--yes", "--snapshot", archive, "--name", "win"});
  EXPECT_EQ(refused.exit_code, kExitUsage) << refused.err << refused.out;
  EXPECT_NE(refused.err.find("a snapshot is read-only"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.out, "");
  // Without --apply the same snapshot plans fine: only the write is refused.
  CliResult dry = run_ptdoctor({"fix", "--snapshot", archive, "--name", "win"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("Dry run: nothing was changed."), std::string::npos) << dry.out;

  const std::string parts = tree.write("/parts.yaml", "cpu: Intel Core i7-4770\n");
  CliResult spec = run_ptdoctor({"fix", "--apply", "--yes", "--spec", parts});
  EXPECT_EQ(spec.exit_code, kExitUsage) << spec.err;
  EXPECT_NE(spec.err.find("--spec"), std::string::npos) << spec.err;
  EXPECT_EQ(files_of(root), before);
}

// CI runs as root, who can write anywhere: the tree's top is made read-only and the apply runs as nobody.
TEST_F(ApplyRollbackCli, ApplyRefusesARootThisUserCannotWrite) {
  ASSERT_EQ(::chmod(root.c_str(), 0555), 0);
  const auto before = files_of(root);
  CliResult refused = run_ptdoctor_unprivileged({"fix", "--apply", "--yes", "--root", root, "--name", "win"});
  EXPECT_EQ(refused.exit_code, kExitCantCreate) << refused.err << refused.out;
  EXPECT_NE(refused.err.find(root + " is not writable by this user"), std::string::npos) << refused.err;
  EXPECT_EQ(files_of(root), before);
}

}  // namespace
}  // namespace ptdoctor::testing
