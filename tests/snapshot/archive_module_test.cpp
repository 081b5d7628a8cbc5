// The archive module (snapshot/archive_module.hpp): loaded only for archives, refused with a message naming the
// file when it is missing, not the module or unsafe, and a ptdoctor installed without it still runs everything
// that touches no archive.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "cli_runner.hpp"
#include "ptdoctor/config.hpp"
#include "ptdoctor/exit_codes.hpp"
#include "snapshot/archive_module.hpp"
#include "snapshot/snapshot_writer.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::snapshot {
namespace {

using ptdoctor::testing::run_ptdoctor;
using ptdoctor::testing::TempTree;
namespace fs = std::filesystem;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(ArchiveModule, TheStagedModuleLoads) {
  auto module = load_archive_module(PTDOCTOR_STAGE_ARCHIVE_MODULE);
  ASSERT_TRUE(module) << module.error().message;
  EXPECT_NE(module->backend, nullptr);
}

TEST(ArchiveModule, AMissingModuleIsNamed) {
  TempTree tree;
  const std::string path = tree.path() + "/ptdoctor-archive.so";
  auto module = load_archive_module(path);
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().kind, ErrorKind::kUnsupported);
  EXPECT_TRUE(has(module.error().message, "cannot read or write snapshot archives: " + path)) << module.error().message;
  EXPECT_TRUE(has(module.error().message, "reinstall ptdoctor")) << module.error().message;
}

TEST(ArchiveModule, APluginIsNotTheModule) {
  const std::string plugin = std::string(PTDOCTOR_PROBE_PLUGIN);
  auto module = load_archive_module(plugin);
  ASSERT_FALSE(module);
  EXPECT_TRUE(has(module.error().message, plugin + ": not ptdoctor's archive module")) << module.error().message;
}

// ptdoctor runs as root: a module others can replace would run their code as root.
TEST(ArchiveModule, AGroupWritableModuleIsRefused) {
  TempTree tree;
  const std::string copy = tree.path() + "/ptdoctor-archive.so";
  fs::copy_file(PTDOCTOR_STAGE_ARCHIVE_MODULE, copy);
  ::chmod(copy.c_str(), 0664);
  auto module = load_archive_module(copy);
  ASSERT_FALSE(module);
  EXPECT_TRUE(has(module.error().message, copy + ": writable by group or others; refusing to load the archive module"))
      << module.error().message;
}

// A ptdoctor binary in a prefix that lacks lib/.../ptdoctor-archive.so (a partial copy, a broken install).
class WithoutArchiveModule : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(prefix_.path() + "/" + config::kBinRelDir);
    fs::copy_file(PTDOCTOR_BIN, binary_);
    host_.write("/proc/cmdline", "ro quiet\n");
  }

  TempTree prefix_;
  TempTree host_;
  TempTree out_;
  const std::string binary_ = prefix_.path() + "/" + config::kBinRelDir + "/ptdoctor";
  const std::string missing_ = prefix_.path() + "/" + config::kArchiveModuleRelPath;
};

TEST_F(WithoutArchiveModule, SnapshotSaysWhichFileIsMissingAndWritesNothing) {
  const std::string archive = out_.path() + "/host.tar.gz";
  auto result = run_ptdoctor({"snapshot", "--root", host_.path(), "-o", archive}, {}, {}, binary_);
  EXPECT_EQ(result.exit_code, kExitInternal) << result.err;
  EXPECT_TRUE(has(result.err, "cannot read or write snapshot archives: " + missing_)) << result.err;
  EXPECT_TRUE(fs::is_empty(out_.path()));
}

TEST_F(WithoutArchiveModule, CheckSnapshotSaysWhichFileIsMissing) {
  const std::string archive = out_.path() + "/host.tar.gz";
  ASSERT_TRUE(write_archive(archive, {{"proc/cmdline", {ArchiveEntry::Type::kFile, "ro quiet\n", ""}}}));
  auto result = run_ptdoctor({"check", "--snapshot", archive}, {}, {}, binary_);
  EXPECT_EQ(result.exit_code, kExitInternal) << result.err;
  EXPECT_TRUE(has(result.err, "cannot read or write snapshot archives: " + missing_)) << result.err;
}

TEST_F(WithoutArchiveModule, CommandsWithoutArchivesRun) {
  auto version = run_ptdoctor({"--version"}, {}, {}, binary_);
  EXPECT_EQ(version.exit_code, 0) << version.err;
  auto facts = run_ptdoctor({"facts", "--root", host_.path(), "--plugin-dir", PTDOCTOR_STAGE_PLUGIN_DIR}, {}, {},
                            binary_);
  EXPECT_EQ(facts.exit_code, 0) << facts.err;
  EXPECT_FALSE(has(facts.err, "archive")) << facts.err;
}

}  // namespace
}  // namespace ptdoctor::snapshot
