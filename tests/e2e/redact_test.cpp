// End to end: --redact. A copy of a fixture host is given what identifies a real machine and its owner (a hostname,
// a domU config with a MAC address, a UUID and a disk image under /home/NAME, DMI serial numbers), and no original
// value may survive in any report format, in `facts`, or in a snapshot archive.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "e2e_util.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

namespace fs = std::filesystem;

// What a real Debian dom0 with a Windows guest has (the MAC in Xen's 00:16:3e range, as xl makes them).
const std::vector<std::string> kIdentity = {"alice-workstation", "00:16:3e:5a:c1:7e", "00:16:3E:5A:C1:7E",
                                            "6f1c2e0a-93b4-4c1e-a0e7-2d5b8c9f4a11", "/home/alice", "PF2K3ZQX",
                                            "MB-7731-A09"};

class IdentityHost {
 public:
  IdentityHost() {
    const std::string copy = "cp -a '" + fixture_host("guide-domu-421") + "/.' '" + tree_.path() + "'";
    EXPECT_EQ(std::system(copy.c_str()), 0) << copy;
    tree_.write("/proc/sys/kernel/hostname", "alice-workstation\n");
    tree_.write("/etc/hostname", "alice-workstation\n");
    tree_.write("/sys/class/dmi/id/product_serial", "PF2K3ZQX\n");
    tree_.write("/sys/class/dmi/id/board_serial", "MB-7731-A09\n");
    std::string config = tree_.read("/etc/xen/win.cfg");
    auto replace = [&config](const std::string& from, const std::string& to) {
      std::size_t at = config.find(from);
      ASSERT_NE(at, std::string::npos) << from;
      config.replace(at, from.size(), to);
    };
    replace("'phy:/dev/vg0/win,hda,w'", "'file:/home/alice/vms/win7.img,hda,w'");
    replace("'bridge=xenbr0'", "'mac=00:16:3e:5a:c1:7e,bridge=xenbr0'");
    config += "uuid = \"6f1c2e0a-93b4-4c1e-a0e7-2d5b8c9f4a11\"\n";
    tree_.write("/etc/xen/win.cfg", config);
  }
  const std::string& root() const { return tree_.path(); }

 private:
  TempTree tree_;
};

// The identity values a text holds ("" when none).
std::string survivors(const std::string& text) {
  std::string found;
  for (const std::string& value : kIdentity) {
    if (text.find(value) != std::string::npos) found += " " + value;
  }
  return found;
}

TEST(Redact, TheHostHasTheValuesWithoutRedact) {
  IdentityHost host;
  CliResult facts = run_ptdoctor({"facts", "--root", host.root()});
  ASSERT_EQ(facts.exit_code, 0) << facts.err;
  EXPECT_NE(facts.out.find("00:16:3e:5a:c1:7e"), std::string::npos);
  EXPECT_NE(facts.out.find("/home/alice"), std::string::npos);
  CliResult report = run_ptdoctor({"check", "--root", host.root()});
  EXPECT_NE(report.out.find("alice-workstation"), std::string::npos) << report.out.substr(0, 400);
}

TEST(Redact, NoIdentitySurvivesInAnyReportFormat) {
  IdentityHost host;
  for (const char* format : {"text", "json", "markdown", "html"}) {
    CliResult report = run_ptdoctor({"check", "--root", host.root(), "--format", format, "--redact", "--all"});
    ASSERT_TRUE(report.exit_code >= 0 && report.exit_code <= 3) << format << ": " << report.err;
    EXPECT_EQ(survivors(report.out), "") << format;
    EXPECT_NE(report.out.find("redacted-host"), std::string::npos) << format;
  }
  // The compact Markdown report, the one pasted into a forum post, as well.
  CliResult post = run_ptdoctor({"check", "--root", host.root(), "--format", "markdown", "--redact"});
  EXPECT_EQ(survivors(post.out), "");
  EXPECT_NE(post.out.find("redacted-host"), std::string::npos);
  // Rule ids and fact names are kept: the redacted JSON report is still a report of the same rules.
  Json redacted = check_json({"--root", host.root(), "--redact"});
  Json plain = check_json({"--root", host.root()});
  ASSERT_EQ(redacted["results"].size(), plain["results"].size());
  for (std::size_t i = 0; i < plain["results"].size(); ++i) {
    EXPECT_EQ(redacted["results"][i]["rule"], plain["results"][i]["rule"]);
    EXPECT_EQ(redacted["results"][i]["status"], plain["results"][i]["status"]);
  }
  EXPECT_EQ(schema_problems(run_ptdoctor({"check", "--root", host.root(), "--format", "json", "--redact"}).out), "");
}

TEST(Redact, NoIdentitySurvivesInFacts) {
  IdentityHost host;
  CliResult facts = run_ptdoctor({"facts", "--root", host.root(), "--redact"});
  ASSERT_EQ(facts.exit_code, 0) << facts.err;
  EXPECT_EQ(survivors(facts.out), "");
  Json parsed = parse_json_output(facts);
  EXPECT_TRUE(parsed["facts"].contains("domu"));
  EXPECT_NE(facts.out.find("/home/user/vms/win7.img"), std::string::npos);
}

TEST(Redact, NoIdentitySurvivesInASnapshot) {
  IdentityHost host;
  TempTree out;
  const std::string archive = out.path() + "/box.tar.gz";
  CliResult taken = run_ptdoctor({"snapshot", "--root", host.root(), "--redact", "-o", archive});
  ASSERT_EQ(taken.exit_code, 0) << taken.err;
  const std::string unpacked = out.path() + "/x";
  fs::create_directory(unpacked);
  const std::string untar = "tar -xzf '" + archive + "' -C '" + unpacked + "'";
  ASSERT_EQ(std::system(untar.c_str()), 0);
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(unpacked)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(survivors(text.str()), "") << entry.path();
  }
  EXPECT_GT(files, 10u);
}

}  // namespace
}  // namespace ptdoctor::testing
