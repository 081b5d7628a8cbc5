// The command line is checked before anything is collected: a malformed address, a repeated --gpu or a file that
// cannot be read is one line on stderr and exit 64 or 66, never a full report in which the mistake became "not
// ready" (exit 2) or thirty unknowns. Misspelt commands and options get a suggestion, as git and cargo give one.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "cli_runner.hpp"
#include "closest_name.hpp"
#include "ptdoctor/exit_codes.hpp"
#include "ptdoctor/json.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

std::size_t line_count(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

// A fixture host with GPUs, so that a check that did run would print a full report (and exit 2).
// The same build generates it (ptdoctor_add_test depends on ptdoctor_fixtures): missing is a failure, not a skip.
std::string host_root() { return fixture_host("intel-modern"); }

// Refused before the plugins ran: nothing on stdout, one line on stderr (-vv would log "plugins loaded" after loading
// them), naming what was given.
void expect_refused_up_front(const std::vector<std::string>& args, int exit_code, const std::string& named) {
  std::vector<std::string> verbose = args;
  verbose.push_back("-vv");
  CliResult result = run_ptdoctor(verbose);
  SCOPED_TRACE(args.back());
  EXPECT_EQ(result.exit_code, exit_code) << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(line_count(result.err), 1u) << result.err;
  EXPECT_EQ(result.err.find("plugins loaded"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find(named), std::string::npos) << result.err;
}

TEST(CommandLine, MalformedPciAddressesAreUsageErrorsBeforeAnyPluginRuns) {
  ASSERT_TRUE(std::filesystem::is_directory(host_root())) << "no generated fixture " << host_root();
  for (const auto& [option, value] : std::vector<std::pair<std::string, std::string>>{
           {"--gpu", "03:00"}, {"--gpu", "zz"}, {"--gpu", "03.00.0"}, {"--usb", "00:1d"}, {"--usb", "1d.7"}}) {
    expect_refused_up_front({"check", "--root", host_root(), option, value}, kExitUsage, option + " \"" + value + "\"");
  }
  // plan and fix share the host options, and the check.
  expect_refused_up_front({"plan", "--root", host_root(), "--gpu", "03:00"}, kExitUsage, "\"03:00\"");
  expect_refused_up_front({"fix", "--root", host_root(), "--usb", "zz"}, kExitUsage, "\"zz\"");
}

TEST(CommandLine, ASecondGpuIsAUsageErrorNamingBothNeverADroppedOne) {
  ASSERT_TRUE(std::filesystem::is_directory(host_root())) << "no generated fixture " << host_root();
  CliResult twice = run_ptdoctor({"check", "--root", host_root(), "--gpu", "01:00.0", "--gpu", "02:00.0"});
  EXPECT_EQ(twice.exit_code, kExitUsage) << twice.err;
  EXPECT_NE(twice.err.find("--gpu 01:00.0 and --gpu 02:00.0"), std::string::npos) << twice.err;
  EXPECT_EQ(twice.out, "");
  // `--gpu A B`: B is not swallowed as a second value of --gpu.
  CliResult stray = run_ptdoctor({"check", "--root", host_root(), "--gpu", "01:00.0", "02:00.0"});
  EXPECT_EQ(stray.exit_code, kExitUsage) << stray.err;
  EXPECT_NE(stray.err.find("02:00.0"), std::string::npos) << stray.err;
  EXPECT_EQ(stray.out, "");
  // The same controller twice, spelt two ways.
  CliResult usb = run_ptdoctor({"check", "--root", host_root(), "--usb", "00:1d.7", "--usb", "0000:00:1D.7"});
  EXPECT_EQ(usb.exit_code, kExitUsage) << usb.err;
  EXPECT_NE(usb.err.find("name the same device"), std::string::npos) << usb.err;
}

TEST(CommandLine, UnreadableFilesNamedOnTheCommandLineAreNoInputNamingThem) {
  ASSERT_TRUE(std::filesystem::is_directory(host_root())) << "no generated fixture " << host_root();
  TempTree tree;
  const std::string missing = tree.at("/missing");
  expect_refused_up_front({"check", "--root", host_root(), "--kernel-config", missing}, kExitNoInput, missing);
  expect_refused_up_front({"check", "--root", host_root(), "--pci-dump", missing}, kExitNoInput, missing);
  expect_refused_up_front({"check", "--root", host_root(), "--rules", missing}, kExitNoInput, missing);
  expect_refused_up_front({"check", "--spec", missing}, kExitNoInput, missing);
  expect_refused_up_front({"fix", "--root", host_root(), "--plan", missing}, kExitNoInput, missing);
  // --domu names a file inside the host tree.
  expect_refused_up_front({"check", "--root", host_root(), "--domu", "/etc/xen/no-such.cfg"}, kExitNoInput,
                          "/etc/xen/no-such.cfg");
  expect_refused_up_front({"check", "--root", host_root(), "--domu", "/etc"}, kExitNoInput, "not a regular file");
}

TEST(CommandLine, AMisspeltCommandGetsTheNearestCommand) {
  CliResult typo = run_ptdoctor({"chek"});
  EXPECT_EQ(typo.exit_code, kExitUsage);
  EXPECT_NE(typo.err.find("ptdoctor: unknown command 'chek'; did you mean 'check'?"), std::string::npos) << typo.err;
  EXPECT_NE(typo.err.find("Try 'ptdoctor --help'."), std::string::npos) << typo.err;
  CliResult swapped = run_ptdoctor({"-v", "rollbakc", "--yes"});
  EXPECT_NE(swapped.err.find("did you mean 'rollback'?"), std::string::npos) << swapped.err;
  // Nothing near: no guess, but still one clear line.
  CliResult far = run_ptdoctor({"zz"});
  EXPECT_EQ(far.exit_code, kExitUsage);
  EXPECT_NE(far.err.find("unknown command 'zz'"), std::string::npos) << far.err;
  EXPECT_EQ(far.err.find("did you mean"), std::string::npos) << far.err;
  CliResult none = run_ptdoctor({"-v"});
  EXPECT_EQ(none.exit_code, kExitUsage);
  EXPECT_NE(none.err.find("a command is required: check, "), std::string::npos) << none.err;
}

TEST(CommandLine, AMisspeltOptionGetsTheNearestOptionOfItsCommand) {
  CliResult typo = run_ptdoctor({"check", "--formt", "json"});
  EXPECT_EQ(typo.exit_code, kExitUsage);
  EXPECT_NE(typo.err.find("ptdoctor: unknown option '--formt' for 'check'; did you mean '--format'?"),
            std::string::npos)
      << typo.err;
  EXPECT_NE(typo.err.find("Try 'ptdoctor check --help'."), std::string::npos) << typo.err;
  // rollback has --list; check has no --lst to confuse it with.
  CliResult other = run_ptdoctor({"rollback", "--lsit"});
  EXPECT_NE(other.err.find("did you mean '--list'?"), std::string::npos) << other.err;
  CliResult with_value = run_ptdoctor({"check", "--kernel-confg=/boot/config"});
  EXPECT_NE(with_value.err.find("unknown option '--kernel-confg' for 'check'; did you mean '--kernel-config'?"),
            std::string::npos)
      << with_value.err;
}

TEST(CommandLine, EditDistanceCountsASwapAsOneAndFarNamesAreNoSuggestion) {
  EXPECT_EQ(edit_distance("chek", "check"), 1u);
  EXPECT_EQ(edit_distance("fxi", "fix"), 1u);
  EXPECT_EQ(edit_distance("plan", "plan"), 0u);
  EXPECT_EQ(closest_name("expalin", {"check", "explain"}), "explain");
  EXPECT_EQ(closest_name("zz", {"fix", "plan"}), std::nullopt);
  EXPECT_EQ(closest_name("--al", {"--all", "--apply"}), "--all");
}

// Without --format, -o FILE's extension picks the format; an explicit --format wins.
TEST(CommandLine, FormatFollowsTheOutputFilesExtensionUnlessGiven) {
  TempTree tree;
  tree.mkdir("/root/etc");
  const std::string root = tree.at("/root");
  auto written = [&](std::vector<std::string> args, const std::string& file) {
    args.insert(args.end(), {"--root", root, "-o", tree.at("/" + file)});
    CliResult result = run_ptdoctor(args);
    EXPECT_NE(result.exit_code, kExitUsage) << result.err;
    EXPECT_EQ(result.out, "") << file;
    return tree.read("/" + file);
  };
  std::string json = written({"check"}, "report.json");
  EXPECT_FALSE(Json::parse(json, nullptr, false).is_discarded()) << json.substr(0, 200);
  std::string markdown = written({"check"}, "report.MD");
  EXPECT_EQ(markdown.rfind("# ", 0), 0u) << markdown.substr(0, 200);
  std::string html = written({"check"}, "report.html");
  EXPECT_NE(html.find("<html"), std::string::npos) << html.substr(0, 200);
  std::string text = written({"check"}, "report.txt");
  EXPECT_TRUE(Json::parse(text, nullptr, false).is_discarded());
  EXPECT_EQ(text.find("<html"), std::string::npos);
  EXPECT_NE(text.rfind("# ", 0), 0u);
  std::string explicit_text = written({"check", "--format", "text"}, "explicit.json");
  EXPECT_TRUE(Json::parse(explicit_text, nullptr, false).is_discarded()) << explicit_text.substr(0, 200);
  EXPECT_EQ(explicit_text.substr(0, explicit_text.find('\n')), text.substr(0, text.find('\n')));
  std::string plan = written({"plan"}, "plan.json");
  EXPECT_FALSE(Json::parse(plan, nullptr, false).is_discarded()) << plan.substr(0, 200);
  EXPECT_TRUE(Json::parse(written({"plan"}, "plan.md"), nullptr, false).is_discarded());  // no Markdown plan: text
}

}  // namespace
}  // namespace ptdoctor::testing
