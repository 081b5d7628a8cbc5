// A user's I/O mistake is not a bug: the binary exits with the sysexits code (66 no input, 73 cannot create the
// output), names the file, and returns promptly; 70 stays for bugs. Every run goes through `timeout` so a hang
// fails the test (exit 124) instead of stalling CI.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_runner.hpp"
#include "ptdoctor/exit_codes.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

CliResult run(const std::vector<std::string>& args) { return run_ptdoctor(args, {}, {"timeout", "30"}); }

std::string empty_root(const TempTree& tree) {
  tree.mkdir("/root/etc");
  return tree.at("/root");
}

TEST(ExitCodes, KernelConfigFromDevZeroIsRefusedPromptlyNamingFileAndCap) {
  TempTree tree;
  CliResult result = run({"check", "--root", empty_root(tree), "--kernel-config", "/dev/zero"});
  EXPECT_EQ(result.exit_code, kExitNoInput) << result.err;
  EXPECT_NE(result.err.find("/dev/zero"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("64 MiB"), std::string::npos) << result.err;
}

TEST(ExitCodes, EveryNamedInputThatIsAFifoIsRefusedWithoutHanging) {
  TempTree tree;
  const std::string fifo = tree.at("/fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string root = empty_root(tree);
  const std::vector<std::vector<std::string>> commands = {
      {"check", "--root", root, "--kernel-config", fifo},
      {"check", "--spec", fifo},
      {"check", "--snapshot", fifo},
      {"check", "--root", root, "--rules", fifo},
      {"rules", "--rules", fifo},
      {"fix", "--root", root, "--plan", fifo},
  };
  for (const auto& args : commands) {
    CliResult result = run(args);
    EXPECT_EQ(result.exit_code, kExitNoInput) << args[1] << " " << args[2] << ": " << result.err;
    EXPECT_NE(result.err.find(fifo), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("FIFO"), std::string::npos) << result.err;
  }
}

TEST(ExitCodes, AMissingInputFileIsNoInput) {
  TempTree tree;
  const std::string missing = tree.at("/missing.yaml");
  const std::string root = empty_root(tree);
  for (const auto& args : std::vector<std::vector<std::string>>{{"check", "--root", root, "--kernel-config", missing},
                                                                {"check", "--spec", missing},
                                                                {"check", "--snapshot", missing},
                                                                {"check", "--root", root, "--rules", missing},
                                                                {"check", "--root", tree.at("/no-root")}}) {
    CliResult result = run(args);
    EXPECT_EQ(result.exit_code, kExitNoInput) << args.back() << ": " << result.err;
  }
}

TEST(ExitCodes, AnOutputThatCannotBeCreatedIsCantCreat) {
  TempTree tree;
  const std::string root = empty_root(tree);
  CliResult snapshot = run({"snapshot", "--root", root, "-o", "/proc/no-such-dir/x.tar.gz"});
  EXPECT_EQ(snapshot.exit_code, kExitCantCreate) << snapshot.err;
  EXPECT_NE(snapshot.err.find("/proc/no-such-dir/x.tar.gz"), std::string::npos) << snapshot.err;
  CliResult report = run({"check", "--root", root, "-o", tree.at("/no-dir/report.txt")});
  EXPECT_EQ(report.exit_code, kExitCantCreate) << report.err;
  CliResult plan = run({"plan", "--root", root, "-o", tree.at("/no-dir/plan.txt")});
  EXPECT_EQ(plan.exit_code, kExitCantCreate) << plan.err;
}

TEST(ExitCodes, TheManPageAndUserGuideDocumentEveryExitCode) {
  for (const char* doc : {"docs/ptdoctor.1", "docs/user-guide.md"}) {
    std::ifstream in(source_path(doc));
    std::stringstream text;
    text << in.rdbuf();
    for (const char* code : {"64", "66", "70", "73", "74"}) {
      EXPECT_NE(text.str().find(code), std::string::npos) << doc << " does not mention exit status " << code;
    }
  }
}

}  // namespace
}  // namespace ptdoctor::testing
