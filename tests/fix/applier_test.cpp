#include "fix/applier.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "fix/journal.hpp"
#include "fix/planner.hpp"
#include "fix_test_util.hpp"
#include "guide_machine.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::fix {
namespace {

namespace fs = std::filesystem;

// Every regular file of the tree outside the journal: path -> (bytes, mode).
std::map<std::string, std::pair<std::string, unsigned>> snapshot(const testing::TempTree& tree) {
  std::map<std::string, std::pair<std::string, unsigned>> files;
  for (const auto& entry : fs::recursive_directory_iterator(tree.path())) {
    std::string relative = entry.path().string().substr(tree.path().size());
    if (relative.rfind("/var/lib/ptdoctor", 0) == 0 || !entry.is_regular_file()) continue;
    struct stat st {};
    ::stat(entry.path().c_str(), &st);
    files[relative] = {tree.read(relative), st.st_mode & 07777};
  }
  return files;
}

std::set<std::string> directories(const testing::TempTree& tree) {
  std::set<std::string> dirs;
  for (const auto& entry : fs::recursive_directory_iterator(tree.path())) {
    std::string relative = entry.path().string().substr(tree.path().size());
    if (entry.is_directory() && relative.rfind("/var", 0) != 0) dirs.insert(relative);
  }
  return dirs;
}

class Apply : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::write_guide_tree(tree);
    ::chmod(tree.at("/etc/default/grub").c_str(), 0600);  // an unusual mode rollback must restore
    facts = testing::guide_facts();
    // Built-in pciback, so /etc/default/grub is edited too, and a missing option, so a fragment is written.
    facts.set("kernel.pciback.builtin", true, "test");
    Json config = facts.find("kernel.config")->get<Json>();
    config["CONFIG_XEN_PCIDEV_BACKEND"] = "y";
    config.erase("CONFIG_XEN_GNTDEV");
    facts.set("kernel.config", config, "test");
    facts.set("xen.iommu_enabled", false, "test");
  }
  Plan plan() {
    auto made = make_plan(facts, *host(), testing::guide_choices());
    EXPECT_TRUE(made) << (made ? "" : made.error().message);
    return made ? std::move(*made) : Plan{};
  }
  std::unique_ptr<host::RootedHostView> host() { return testing::open_root(tree.path()); }
  testing::TempTree tree;
  FactStore facts;
};

TEST_F(Apply, WritesWhatThePlanSaysAndASecondApplyChangesNothing) {
  auto before = snapshot(tree);
  Plan first = plan();
  auto view = host();
  auto outcome = apply_plan(first, *view, {});
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->journal_id.empty());
  for (const PlanStep& step : first.steps) {
    if (step.file) {
      EXPECT_EQ(tree.read(step.file->path), step.file->after) << step.file->path;
    }
  }
  EXPECT_TRUE(tree.exists("/etc/xen/win.cfg"));
  EXPECT_TRUE(tree.exists("/etc/ptdoctor/xen-passthrough.config"));
  auto after = snapshot(tree);
  EXPECT_NE(after, before);

  Plan second = plan();
  for (const PlanStep& step : second.steps) EXPECT_FALSE(step.changes() && step.kind != "manual") << step.id;
  auto again = apply_plan(second, *host(), {});
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->journal_id.empty());
  EXPECT_EQ(snapshot(tree), after);
}

TEST_F(Apply, RollbackRestoresExactBytesModesAndRemovesNewFiles) {
  auto before = snapshot(tree);
  auto dirs_before = directories(tree);
  auto outcome = apply_plan(plan(), *host(), {});
  ASSERT_TRUE(outcome);
  auto rolled = rollback_journal(*host(), outcome->journal_id);
  ASSERT_TRUE(rolled) << rolled.error().message;
  EXPECT_EQ(snapshot(tree), before);
  EXPECT_EQ(directories(tree), dirs_before);  // /etc/xen and /etc/ptdoctor were made for the plan: gone again
  EXPECT_FALSE(rolled->removed.empty());
  EXPECT_FALSE(rolled->restored.empty());
  // The journal is spent: no second rollback, and "latest" skips it.
  EXPECT_FALSE(rollback_journal(*host(), outcome->journal_id));
  EXPECT_FALSE(latest_journal(*host()));
}

TEST_F(Apply, FailureAfterAnyStepLeavesEveryFileWholeAndRollbackRestoresAll) {
  auto before = snapshot(tree);
  Plan reference = plan();
  std::size_t steps = reference.steps.size();
  ASSERT_GE(steps, 5u);
  for (std::size_t stop = 0; stop < steps; ++stop) {
    SCOPED_TRACE("failure injected after step " + std::to_string(stop));
    Plan current = plan();
    ApplyOptions options;
    options.after_step = [stop](std::size_t index) -> Status {
      if (index == stop) return make_error(ErrorKind::kIo, "injected");
      return Ok{};
    };
    auto outcome = apply_plan(current, *host(), options);
    ASSERT_FALSE(outcome);
    // A failure before the first change leaves nothing to undo: no journal, and the message says so.
    if (outcome.error().message.find("Nothing was changed") != std::string::npos) {
      EXPECT_FALSE(latest_journal(*host()));
      EXPECT_EQ(snapshot(tree), before);
      continue;
    }
    EXPECT_NE(outcome.error().message.find("ptdoctor rollback"), std::string::npos);
    // Each file is either as before or as planned, never anything else.
    for (const PlanStep& step : current.steps) {
      if (!step.file) continue;
      bool exists = tree.exists(step.file->path);
      std::string now = exists ? tree.read(step.file->path) : "";
      bool as_before = step.file->existed ? (exists && now == *step.file->before) : !exists;
      bool as_after = exists && now == step.file->after;
      EXPECT_TRUE(as_before || as_after) << step.file->path;
    }
    for (const auto& entry : fs::recursive_directory_iterator(tree.path())) {
      EXPECT_EQ(entry.path().filename().string().find(".ptdoctor-"), std::string::npos) << entry.path();
    }
    auto id = latest_journal(*host());
    ASSERT_TRUE(id);
    auto rolled = rollback_journal(*host(), *id);
    ASSERT_TRUE(rolled) << rolled.error().message;
    EXPECT_EQ(snapshot(tree), before);
  }
}

TEST_F(Apply, RefusesAFileEditedBetweenPlanAndApply) {
  Plan made = plan();
  std::string edited = tree.read("/etc/default/grub") + "GRUB_TIMEOUT=1\n";
  tree.write("/etc/default/grub", edited);
  auto outcome = apply_plan(made, *host(), {});
  ASSERT_FALSE(outcome);
  EXPECT_NE(outcome.error().message.find("/etc/default/grub changed since the plan was made"), std::string::npos)
      << outcome.error().message;
  EXPECT_EQ(tree.read("/etc/default/grub"), edited);
}

TEST_F(Apply, RefusesAFileCreatedBetweenPlanAndApply) {
  Plan made = plan();
  tree.write("/etc/xen/win.cfg", "name = \"mine\"\n");
  auto outcome = apply_plan(made, *host(), {});
  ASSERT_FALSE(outcome);
  EXPECT_EQ(tree.read("/etc/xen/win.cfg"), "name = \"mine\"\n");
}

TEST_F(Apply, RollbackRefusesWhenAFileWasChangedAfterTheApply) {
  auto outcome = apply_plan(plan(), *host(), {});
  ASSERT_TRUE(outcome);
  tree.write("/etc/xen/win.cfg", "changed by hand\n");
  auto grub_after = tree.read("/etc/default/grub");
  auto rolled = rollback_journal(*host(), outcome->journal_id);
  ASSERT_FALSE(rolled);
  EXPECT_NE(rolled.error().message.find("/etc/xen/win.cfg was changed after the apply"), std::string::npos);
  EXPECT_EQ(tree.read("/etc/default/grub"), grub_after);  // nothing was restored
}

// The journal's backup of one file, as a host path under the tree.
std::string backup_of(const HostView& host, const std::string& journal_id, const std::string& path) {
  auto journal = Journal::open(host, journal_id);
  EXPECT_TRUE(journal) << journal_id;
  if (!journal) return "";
  for (const JournalEntry& entry : journal->entries()) {
    if (entry.path == path) return std::string(kJournalDir) + "/" + journal_id + "/files/" + entry.backup;
  }
  ADD_FAILURE() << path << " is not in journal " << journal_id;
  return "";
}

unsigned mode_of(const testing::TempTree& tree, const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(tree.at(path).c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// A backup that no longer holds the original (disk error, a hand edit) must not be written back as if it did: that
// file is named and left as the apply made it, every other file is still rolled back, and the journal stays open so
// that a rollback after the backup is repaired finishes the job.
TEST_F(Apply, RollbackLeavesAFileWithACorruptedBackupAndRestoresTheOthers) {
  auto before = snapshot(tree);
  const std::string original_grub = tree.read("/etc/default/grub");
  auto outcome = apply_plan(plan(), *host(), {});
  ASSERT_TRUE(outcome);
  const std::string backup = backup_of(*host(), outcome->journal_id, "/etc/default/grub");
  ASSERT_EQ(tree.read(backup), original_grub);
  tree.write(backup, "GRUB_CMDLINE_LINUX=\"garbage\"\n");
  const std::string grub_applied = tree.read("/etc/default/grub");
  ASSERT_NE(grub_applied, original_grub);

  auto rolled = rollback_journal(*host(), outcome->journal_id);
  ASSERT_TRUE(rolled) << rolled.error().message;
  ASSERT_EQ(rolled->not_restored.size(), 1u);
  const std::string& why = rolled->not_restored.front();
  EXPECT_EQ(why.rfind("/etc/default/grub: ", 0), 0u) << why;
  EXPECT_NE(why.find(tree.path() + backup), std::string::npos) << why;
  EXPECT_NE(why.find("does not match the checksum"), std::string::npos) << why;
  EXPECT_EQ(tree.read("/etc/default/grub"), grub_applied);  // neither the garbage nor half of anything
  EXPECT_FALSE(rolled->removed.empty());                      // the files the apply created went
  EXPECT_FALSE(tree.exists("/etc/xen/win.cfg"));
  auto expected = before;  // every file as before, but grub as the apply made it
  expected["/etc/default/grub"] = {grub_applied, 0600u};
  EXPECT_EQ(snapshot(tree), expected);
  // Not marked rolled back: it is still the latest journal, and once the backup is good again a second rollback
  // restores the last file and closes the journal.
  EXPECT_EQ(latest_journal(*host()).value(), outcome->journal_id);
  tree.write(backup, original_grub);
  auto again = rollback_journal(*host(), outcome->journal_id);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->not_restored.empty());
  EXPECT_EQ(again->restored, std::vector<std::string>{"/etc/default/grub"});
  EXPECT_EQ(snapshot(tree), before);
  EXPECT_FALSE(latest_journal(*host()));
}

TEST_F(Apply, RollbackNamesAMissingBackupAndRestoresTheOthers) {
  auto outcome = apply_plan(plan(), *host(), {});
  ASSERT_TRUE(outcome);
  const std::string backup = backup_of(*host(), outcome->journal_id, "/etc/default/grub");
  ASSERT_TRUE(fs::remove(tree.at(backup)));
  const std::string grub_applied = tree.read("/etc/default/grub");

  auto rolled = rollback_journal(*host(), outcome->journal_id);
  ASSERT_TRUE(rolled) << rolled.error().message;
  ASSERT_EQ(rolled->not_restored.size(), 1u);
  EXPECT_EQ(rolled->not_restored.front().rfind("/etc/default/grub: its backup " + tree.path() + backup, 0), 0u)
      << rolled->not_restored.front();
  EXPECT_EQ(tree.read("/etc/default/grub"), grub_applied);
  EXPECT_FALSE(tree.exists("/etc/xen/win.cfg"));
  EXPECT_EQ(std::count(rolled->restored.begin(), rolled->restored.end(), "/etc/default/grub"), 0);
}

// A file the apply edited and the user then deleted cannot be "restored" without guessing what they wanted: the
// whole rollback is refused and nothing changes, as for a file edited after the apply.
TEST_F(Apply, RollbackRefusesWhenAFileWasRemovedAfterTheApply) {
  auto outcome = apply_plan(plan(), *host(), {});
  ASSERT_TRUE(outcome);
  ASSERT_TRUE(fs::remove(tree.at("/etc/default/grub")));
  auto applied = snapshot(tree);
  auto rolled = rollback_journal(*host(), outcome->journal_id);
  ASSERT_FALSE(rolled);
  EXPECT_NE(rolled.error().message.find(tree.path() + "/etc/default/grub was removed after the apply"),
            std::string::npos)
      << rolled.error().message;
  EXPECT_EQ(snapshot(tree), applied);  // win.cfg is still there: nothing was removed or restored
  EXPECT_TRUE(tree.exists("/etc/xen/win.cfg"));
  EXPECT_FALSE(tree.exists("/etc/default/grub"));
}

// The user put the original bytes back by hand (cp without -p), so only the mode is wrong: rollback restores it.
TEST_F(Apply, RollbackRestoresTheModeWhenOnlyTheModeDiffers) {
  const std::string original_grub = tree.read("/etc/default/grub");
  ASSERT_EQ(mode_of(tree, "/etc/default/grub"), 0600u);
  auto outcome = apply_plan(plan(), *host(), {});
  ASSERT_TRUE(outcome);
  tree.write("/etc/default/grub", original_grub, 0644);
  ::chmod(tree.at("/etc/default/grub").c_str(), 0644);
  ASSERT_EQ(mode_of(tree, "/etc/default/grub"), 0644u);
  auto rolled = rollback_journal(*host(), outcome->journal_id);
  ASSERT_TRUE(rolled) << rolled.error().message;
  EXPECT_EQ(std::count(rolled->restored.begin(), rolled->restored.end(), "/etc/default/grub"), 1);
  EXPECT_EQ(mode_of(tree, "/etc/default/grub"), 0600u);
  EXPECT_EQ(tree.read("/etc/default/grub"), original_grub);
}

// As root an atomic replace leaves the new file owned by root; rollback gives it back to its owner. Only root can
// own a file as someone else: CI runs as root, so this runs there.
TEST_F(Apply, RollbackRestoresTheOwnerAsRoot) {
  if (::geteuid() != 0) GTEST_SKIP() << "only root can make a file another user's; CI runs the suite as root";
  ASSERT_EQ(::chown(tree.at("/etc/default/grub").c_str(), 65534, static_cast<gid_t>(-1)), 0);
  auto outcome = apply_plan(plan(), *host(), {});
  ASSERT_TRUE(outcome);
  struct stat st {};
  ASSERT_EQ(::stat(tree.at("/etc/default/grub").c_str(), &st), 0);
  ASSERT_EQ(st.st_uid, 0u);  // the apply's replacement is root's: the restore below has something to do
  auto rolled = rollback_journal(*host(), outcome->journal_id);
  ASSERT_TRUE(rolled) << rolled.error().message;
  ASSERT_EQ(::stat(tree.at("/etc/default/grub").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 65534u);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST_F(Apply, CommandsAreListedNotRunUnderARoot) {
  Plan made = plan();
  std::vector<std::string> log;
  ApplyOptions options;
  options.log = [&](const std::string& line) { log.push_back(line); };
  options.confirm = [](const std::vector<std::string>&) -> bool {
    ADD_FAILURE() << "asked to run a command under --root";
    return false;
  };
  auto outcome = apply_plan(made, *host(), options);
  ASSERT_TRUE(outcome);
  bool listed = false;
  for (const auto& line : log) listed = listed || line == "not run (not the live host): update-grub";
  EXPECT_TRUE(listed);
}

// A plan step that runs `argv` with `undo` as its inverse, as the planner makes for xl pci-assignable-add.
PlanStep command_step(std::vector<std::string> argv, std::vector<std::string> undo) {
  auto action = std::make_shared<RunCommandAction>(argv, undo);
  auto step = action->plan(*testing::open_root("/"));
  EXPECT_TRUE(step);
  step->id = "command";
  step->action = action;
  return *step;
}

TEST_F(Apply, CountsWhatChangedAndWhatIsLeftNeverSteps) {
  Plan made = plan();
  std::size_t files = 0, commands = 0, manual = 0;
  for (const PlanStep& step : made.steps) {
    files += step.file && step.file->changes();
    commands += step.kind == "command";
    manual += step.kind == "manual";
  }
  ASSERT_GT(files, 0u);
  auto outcome = apply_plan(made, *host(), {});
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->files_changed, files);
  EXPECT_EQ(outcome->files_unchanged, 0u);
  EXPECT_EQ(outcome->commands_run, 0u);  // under a root: listed, never run
  EXPECT_EQ(outcome->commands_not_run, commands);
  EXPECT_EQ(outcome->manual_steps, manual);
  auto again = apply_plan(plan(), *host(), {});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->files_changed, 0u);
  EXPECT_EQ(again->files_unchanged, files);
}

// Under a root commands are only listed: a plan whose only changes are commands changes nothing, so no journal.
TEST_F(Apply, OnlyListedCommandsLeaveNoJournal) {
  Plan made;
  made.root = tree.path();
  made.steps = {command_step({"xl", "pci-assignable-add", "0000:08:00.0"},
                             {"xl", "pci-assignable-remove", "-r", "0000:08:00.0"})};
  std::vector<std::string> log;
  ApplyOptions options;
  options.log = [&](const std::string& line) { log.push_back(line); };
  auto outcome = apply_plan(made, *host(), options);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->journal_id.empty());
  EXPECT_EQ(outcome->commands_not_run, 1u);
  EXPECT_EQ(log, (std::vector<std::string>{"not run (not the live host): xl pci-assignable-add 0000:08:00.0"}));
  EXPECT_FALSE(tree.exists("/var/lib/ptdoctor"));
}

// On the live host a declined command changes nothing either: the journal made for it is removed again.
TEST_F(Apply, DeclinedCommandsLeaveNoJournal) {
  Plan made;
  made.steps = {command_step({"false"}, {})};
  ApplyOptions options;
  options.run_commands = true;
  options.confirm = [](const std::vector<std::string>&) { return false; };
  auto outcome = apply_plan(made, *host(), options);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->journal_id.empty());
  EXPECT_EQ(outcome->commands_not_run, 1u);
  EXPECT_FALSE(latest_journal(*host()));
  auto ids = Journal::list(*host());
  ASSERT_TRUE(ids);
  EXPECT_TRUE(ids->empty());
}

// A command that ran is a change: its journal is kept with the command's real inverse, for rollback to name.
TEST_F(Apply, ACommandThatRanIsJournaledWithItsInverse) {
  Plan made;
  made.steps = {command_step({"true", "pci-assignable-add", "0000:08:00.0"},
                             {"true", "pci-assignable-remove", "-r", "0000:08:00.0"})};
  ApplyOptions options;
  options.run_commands = true;
  options.confirm = [](const std::vector<std::string>&) { return true; };
  auto outcome = apply_plan(made, *host(), options);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->commands_run, 1u);
  ASSERT_FALSE(outcome->journal_id.empty());
  auto journal = Journal::open(*host(), outcome->journal_id);
  ASSERT_TRUE(journal);
  EXPECT_TRUE(journal->changed_anything());
  ASSERT_EQ(journal->commands().size(), 1u);
  EXPECT_EQ(journal->commands()[0]["outcome"], "ok");
  EXPECT_EQ(journal->commands()[0]["undo"], Json({"true", "pci-assignable-remove", "-r", "0000:08:00.0"}));
  EXPECT_EQ(latest_journal(*host()).value(), outcome->journal_id);
}

// The journal says "started" while a command runs, so a ptdoctor killed half way through update-initramfs leaves a
// journal that rollback reads as "may have half-run"; the command's own outcome replaces it when it ends.
TEST_F(Apply, ACommandIsJournaledAsStartedWhileItRuns) {
  const std::string seen = tree.path() + "/journal-seen-by-the-command.json";
  Plan made;
  made.steps = {command_step({"sh", "-c", "cat " + tree.path() + "/var/lib/ptdoctor/journal/*/journal.json > " + seen},
                             {})};
  ApplyOptions options;
  options.run_commands = true;
  options.confirm = [](const std::vector<std::string>&) { return true; };
  auto outcome = apply_plan(made, *host(), options);
  ASSERT_TRUE(outcome) << outcome.error().message;
  std::ifstream seen_file(seen);
  const Json while_running = Json::parse(seen_file);
  ASSERT_EQ(while_running.at("commands").size(), 1u);
  EXPECT_EQ(while_running["commands"][0]["outcome"], kCommandStarted);
  auto journal = Journal::open(*host(), outcome->journal_id);
  ASSERT_TRUE(journal);
  EXPECT_EQ(journal->commands()[0]["outcome"], kCommandOk);
}

// A command that failed may have changed the host half way: its journal is kept, with the failure, for rollback.
TEST_F(Apply, AFailedCommandKeepsItsJournal) {
  Plan made;
  made.steps = {command_step({"sh", "-c", "exit 3"}, {})};
  ApplyOptions options;
  options.run_commands = true;
  options.confirm = [](const std::vector<std::string>&) { return true; };
  auto outcome = apply_plan(made, *host(), options);
  ASSERT_FALSE(outcome);
  EXPECT_NE(outcome.error().message.find("`ptdoctor rollback "), std::string::npos) << outcome.error().message;
  auto latest = latest_journal(*host());
  ASSERT_TRUE(latest);
  auto journal = Journal::open(*host(), *latest);
  ASSERT_TRUE(journal);
  ASSERT_EQ(journal->commands().size(), 1u);
  const std::string failed = journal->commands()[0].value("outcome", "");
  EXPECT_NE(failed, kCommandOk);
  EXPECT_NE(failed, kCommandStarted);
  EXPECT_TRUE(journal->changed_anything());
}

// `rollback` without an id takes the newest journal that changed something: an empty journal written after it (by
// an older ptdoctor, for a no-op apply) is skipped, so the real changes are undone.
TEST_F(Apply, LatestJournalIsTheNewestThatChangedSomething) {
  auto before = snapshot(tree);
  auto outcome = apply_plan(plan(), *host(), {});
  ASSERT_TRUE(outcome);
  auto view = host();
  auto empty = Journal::create(*view);
  ASSERT_TRUE(empty);
  ASSERT_GT(empty->id(), outcome->journal_id);
  ASSERT_TRUE(empty->record_command({"update-grub"}, "listed, not run"));
  EXPECT_FALSE(empty->changed_anything());
  auto latest = latest_journal(*host());
  ASSERT_TRUE(latest);
  EXPECT_EQ(*latest, outcome->journal_id);
  ASSERT_TRUE(rollback_journal(*host(), *latest));
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(Apply, RefusesToWriteThroughASymlink) {
  testing::TempTree outside;
  tree.write("/etc/modprobe.d/.keep", "");
  fs::create_directories(tree.at("/etc/xen"));
  tree.symlink("/etc/xen/win.cfg", outside.path() + "/target");
  auto made = make_plan(facts, *host(), testing::guide_choices());
  ASSERT_FALSE(made);
  EXPECT_NE(made.error().message.find("symbolic link"), std::string::npos);
  EXPECT_FALSE(fs::exists(outside.path() + "/target"));
}

}  // namespace
}  // namespace ptdoctor::fix
