// End to end: `ptdoctor snapshot` of a host tree, then `facts`/`check --snapshot` on the archive.
#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "ptdoctor/json.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::snapshot {
namespace {

using ptdoctor::testing::run_ptdoctor;
using ptdoctor::testing::TempTree;

const std::string kProbeDir = std::string(PTDOCTOR_PROBE_PLUGIN).substr(0, std::string(PTDOCTOR_PROBE_PLUGIN).rfind('/'));

std::vector<std::string> with_probe(std::vector<std::string> args) {
  args.insert(args.end(), {"--no-default-plugins", "--plugin-dir", kProbeDir});
  return args;
}

void small_host(const TempTree& tree) {
  tree.write("/proc/cmdline", "ro quiet intel_iommu=on\n");
  tree.write("/proc/sys/kernel/hostname", "box2\n");
  tree.write("/sys/devices/pci0000:00/0000:00:02.0/vendor", "0x8086\n");
  tree.write("/sys/devices/pci0000:00/0000:00:02.0/config", std::string("\x86\x80\x12\x34", 4));
  tree.symlink("/sys/bus/pci/devices/0000:00:02.0", "../../../devices/pci0000:00/0000:00:02.0");
}

TEST(SnapshotCli, SnapshotThenFactsFromItEqualFactsFromTheRoot) {
  TempTree tree;
  TempTree out;
  small_host(tree);
  std::string archive = out.path() + "/box2.tar.gz";
  auto taken = run_ptdoctor(with_probe({"snapshot", "--root", tree.path(), "-o", archive}));
  ASSERT_EQ(taken.exit_code, 0) << taken.err;
  EXPECT_NE(taken.err.find("snapshot written to " + archive), std::string::npos) << taken.err;
  auto direct = run_ptdoctor(with_probe({"facts", "--root", tree.path()}));
  auto from_snapshot = run_ptdoctor(with_probe({"facts", "--snapshot", archive}));
  ASSERT_EQ(from_snapshot.exit_code, 0) << from_snapshot.err;
  Json a = Json::parse(direct.out, nullptr, false);
  Json b = Json::parse(from_snapshot.out, nullptr, false);
  ASSERT_FALSE(a.is_discarded() || b.is_discarded());
  EXPECT_EQ(b["facts"], a["facts"]);
  EXPECT_EQ(b["facts"]["probe"]["pci"][0]["config_ids"], "86801234");
}

TEST(SnapshotCli, CheckReportsTheSnapshotAsItsSource) {
  TempTree tree;
  TempTree out;
  small_host(tree);
  std::string archive = out.path() + "/box2.tar.gz";
  ASSERT_EQ(run_ptdoctor(with_probe({"snapshot", "--root", tree.path(), "-o", archive, "--redact"})).exit_code, 0);
  auto checked = run_ptdoctor(with_probe({"check", "--snapshot", archive, "--format", "json"}));
  Json report = Json::parse(checked.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << checked.out << checked.err;
  EXPECT_EQ(report["host"]["source"], "snapshot");
  EXPECT_EQ(report["host"]["hostname"], "redacted-host");
}

TEST(SnapshotCli, DamagedArchiveIsAUsageErrorNamingIt) {
  TempTree out;
  std::string archive = out.write("/broken.tar.gz", std::string("\x1f\x8b\x08\x00garbage", 12));
  auto checked = run_ptdoctor(with_probe({"check", "--snapshot", archive}));
  EXPECT_EQ(checked.exit_code, 64);
  EXPECT_NE(checked.err.find(archive), std::string::npos) << checked.err;
}

}  // namespace
}  // namespace ptdoctor::snapshot
