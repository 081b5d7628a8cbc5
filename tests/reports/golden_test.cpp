// Golden text reports: the default `ptdoctor check` text report of every fixture host, checked in under
// tests/reports/golden/, so any change of wording or layout shows in review as a diff of those files.
// After an intended change, regenerate them and review the diff:
//   PTDOCTOR_UPDATE_GOLDEN=1 ctest --test-dir build -R Golden
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

namespace fs = std::filesystem;

// The hosts of tests/fixtures/make_host_roots.py (GoldenSet below checks that none is missing).
const char* const kHosts[] = {"guide-ich10", "intel-modern", "amd-desktop", "server-multi-drhd", "dual-gpu",
                              "xhci-only", "ehci-keyboard", "hide-defeated", "kvm-habit", "usb-own-rmrr",
                              "polaris-no-reset", "empty-replace", "broken", "empty", "guide-domu-421",
                              "guide-domu-rmrr", "domu-lint", "x58-xen-default", "pvh-only-kernel", "xen-no-iommu",
                              "xen-iommu-off-then-on", "vtx-off-wrapped", "core2-no-hvm-paging",
                              "ryzen-x570-xen417"};

std::string golden_path(const std::string& host) { return source_path("tests/reports/golden/" + host + ".txt"); }

// What may differ between runs: the time of the run. (Where the fixtures were generated is kept out of the report
// by running from their parent directory; an absolute path that still gets through is replaced, but would already
// have moved the line breaks, so the golden shows it.)
std::string normalised(std::string text) {
  std::istringstream in(text);
  std::string line, out;
  const std::string fixtures = fs::path(fixture_host("x")).parent_path().string();
  while (std::getline(in, line)) {
    if (line.rfind("Checked: ", 0) == 0) continue;
    for (std::size_t at = line.find(fixtures); at != std::string::npos; at = line.find(fixtures, at)) {
      line.replace(at, fixtures.size(), "<fixtures>");
    }
    // The pci plugin's libpci errors name its shadow tree (mkdtemp under TMPDIR, set to /tmp below) rather than the
    // root: the six random letters differ from run to run.
    const std::string shadow = "/tmp/ptdoctor-pci-";
    for (std::size_t at = line.find(shadow); at != std::string::npos; at = line.find(shadow, at + 1)) {
      line.replace(at + shadow.size(), std::min<std::size_t>(6, line.size() - at - shadow.size()), "XXXXXX");
    }
    out += line + "\n";
  }
  return out;
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class Golden : public ::testing::TestWithParam<const char*> {};

TEST_P(Golden, TextReportMatchesTheCheckedInOne) {
  std::string host = GetParam();
  // A relative --root of the same length on every machine: messages that name files under the root wrap alike.
  const fs::path hosts_dir = fs::path(fixture_host(host)).parent_path();
  // Piped, the report is not wrapped unless COLUMNS asks: the goldens keep the 100 columns they were made at.
  CliResult result = run_ptdoctor({"check", "--root", "hosts/" + host}, {"NO_COLOR=1", "COLUMNS=100"},
                                  {"env", "--chdir=" + hosts_dir.parent_path().string(), "TMPDIR=/tmp"});
  ASSERT_TRUE(result.exit_code >= 0 && result.exit_code <= 3) << result.exit_code << "\n" << result.err;
  std::string report = normalised(result.out);
  const char* update = std::getenv("PTDOCTOR_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(golden_path(host), std::ios::binary) << report;
    std::cout << "updated " << golden_path(host) << "\n";
    return;
  }
  std::string golden = read(golden_path(host));
  ASSERT_FALSE(golden.empty()) << golden_path(host) << " is missing: run PTDOCTOR_UPDATE_GOLDEN=1 ctest -R Golden";
  EXPECT_EQ(report, golden) << "the text report of " << host << " changed; if that is intended, run "
                            << "PTDOCTOR_UPDATE_GOLDEN=1 ctest --test-dir build -R Golden and review the diff";
}

INSTANTIATE_TEST_SUITE_P(Hosts, Golden, ::testing::ValuesIn(kHosts), [](const auto& info) {
  std::string name = info.param;
  for (char& c : name) c = c == '-' ? '_' : c;
  return name;
});

// Every fixture host has a golden report and every golden report a fixture host, so a new host is not missed.
TEST(GoldenSet, CoversExactlyTheFixtureHosts) {
  std::set<std::string> hosts, goldens, listed(std::begin(kHosts), std::end(kHosts));
  for (const auto& entry : fs::directory_iterator(fs::path(fixture_host("x")).parent_path())) {
    if (entry.is_directory()) hosts.insert(entry.path().filename().string());
  }
  for (const auto& entry : fs::directory_iterator(source_path("tests/reports/golden"))) {
    if (entry.path().extension() == ".txt") goldens.insert(entry.path().stem().string());
  }
  EXPECT_EQ(listed, hosts);
  EXPECT_EQ(goldens, hosts);
}

}  // namespace
}  // namespace ptdoctor::testing
