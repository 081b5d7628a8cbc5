// What a run loads (docs/performance.md, "Fourth round: startup"): libarchive only when an archive is written or
// read (core/snapshot/archive_module.hpp), libxlutil only when a domU config is parsed
// (plugins/domu/xlutil_library.hpp). The dynamic loader itself lists every file it opens (LD_DEBUG=files).
#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "temp_tree.hpp"

namespace ptdoctor {
namespace {

using testing::fixture_host;
using testing::run_ptdoctor;

// The loader's trace of a run, on stderr with ptdoctor's own messages.
std::string loaded_files(const std::vector<std::string>& args) {
  auto result = run_ptdoctor(args, {"LD_DEBUG=files"});
  EXPECT_LE(result.exit_code, 3) << result.err;
  return result.err;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(LazyLibraries, ACheckWithoutDomuConfigsLoadsNeither) {
  std::string trace = loaded_files({"check", "--root", fixture_host("empty"), "--format", "json"});
  ASSERT_TRUE(has(trace, "file=")) << "LD_DEBUG gave no trace";
  EXPECT_FALSE(has(trace, "libarchive")) << trace;
  EXPECT_FALSE(has(trace, "libxlutil")) << trace;
}

TEST(LazyLibraries, ADomuConfigLoadsLibxlutilButNotLibarchive) {
  std::string trace = loaded_files({"check", "--root", fixture_host("guide-domu-421"), "--format", "json"});
  EXPECT_TRUE(has(trace, "file=libxlutil.so")) << trace;
  EXPECT_FALSE(has(trace, "libarchive")) << trace;
}

TEST(LazyLibraries, ASnapshotLoadsLibarchive) {
  testing::TempTree out;
  std::string trace = loaded_files({"snapshot", "--root", fixture_host("empty"), "-o", out.path() + "/s.tar.gz"});
  EXPECT_TRUE(has(trace, "ptdoctor-archive.so")) << trace;
  EXPECT_TRUE(has(trace, "file=libarchive.so")) << trace;
}

}  // namespace
}  // namespace ptdoctor
