// The acceptance test of issue 6: a snapshot of the machine the tests run on, judged offline, gives the same
// facts as the live run. Read-only on the live host: the archive and its extraction live in temp directories.
#include <gtest/gtest.h>

#include <filesystem>

#include "snapshot/snapshot_collector.hpp"
#include "snapshot/snapshot_reader.hpp"
#include "snapshot/snapshot_writer.hpp"
#include "snapshot_test_util.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::snapshot {
namespace {

using ptdoctor::testing::TempTree;

struct LiveComparison {
  engine::Collection live;
  engine::Collection offline;
};

// Runs the plugins live on "/", snapshots what they read, and runs them again on the extracted snapshot.
LiveComparison compare_live(std::vector<plugin::LoadedPlugin> live_plugins,
                            std::vector<plugin::LoadedPlugin> offline_plugins, const PluginOptions& options) {
  LiveComparison result;
  TempTree out;
  auto live = ptdoctor::testing::open_view("/", true);
  EXPECT_NE(live, nullptr);
  if (!live) return result;
  result.live = engine::collect_facts(*live, live_plugins, options);
  auto contents = collect_snapshot(*live, {});
  std::string archive = out.path() + "/live.tar.gz";
  auto written = write_archive(archive, contents.entries);
  EXPECT_TRUE(written) << (written ? "" : written.error().message);
  auto extracted = extract_snapshot(archive);
  EXPECT_TRUE(extracted) << (extracted ? "" : extracted.error().message);
  if (!extracted) return result;
  auto offline = ptdoctor::testing::open_view((*extracted)->root(), false);
  result.offline = engine::collect_facts(*offline, offline_plugins, options);
  return result;
}

TEST(LiveSnapshot, ProbeFactsFromTheSnapshotEqualTheLiveRun) {
  LiveComparison compared =
      compare_live(ptdoctor::testing::load_probe_plugin(), ptdoctor::testing::load_probe_plugin(), {});
  ASSERT_FALSE(compared.live.facts.tree().empty());
  // The probe must really have seen this machine's devices and CPU, or the equality below proves nothing.
  std::error_code ec;
  std::size_t devices = 0;
  for (auto it = std::filesystem::directory_iterator("/sys/bus/pci/devices", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++devices;
  }
  EXPECT_EQ(compared.live.facts.tree()["probe"]["pci"].size(), devices);
  EXPECT_TRUE(compared.live.facts.tree()["probe"]["cpuid"]["vendor"].is_string());
  EXPECT_EQ(compared.offline.facts.tree(), compared.live.facts.tree());
  EXPECT_EQ(ptdoctor::testing::unknown_paths(compared.offline), ptdoctor::testing::unknown_paths(compared.live));
}

TEST(LiveSnapshot, StagedPluginFactsFromTheSnapshotEqualTheLiveRun) {
  auto live_plugins = plugin::load_plugins({PTDOCTOR_TEST_PLUGIN_DIR});
  // The same build stages the plugins: none there is a broken build, not a reason to skip.
  ASSERT_GE(live_plugins.plugins.size(), 7u) << "plugins staged in " << PTDOCTOR_TEST_PLUGIN_DIR;
  auto offline_plugins = plugin::load_plugins({PTDOCTOR_TEST_PLUGIN_DIR});
  PluginOptions options{{"rules-dir", {PTDOCTOR_TEST_RULES_DIR}}};
  LiveComparison compared = compare_live(std::move(live_plugins.plugins), std::move(offline_plugins.plugins), options);
  // Provenance may differ, the facts may not. cpu.source is itself provenance ("cpuid instruction" live,
  // "cpuid capture <path>" offline), so it is the one fact left out of the comparison.
  Json live = compared.live.facts.tree();
  Json offline = compared.offline.facts.tree();
  for (Json* tree : {&live, &offline}) {
    if (tree->contains("cpu") && (*tree)["cpu"].is_object()) (*tree)["cpu"].erase("source");
  }
  // Two all-unknown trees would compare equal: the live run must really have read this machine's PCI devices.
  std::error_code ec;
  std::size_t devices = 0;
  for (auto it = std::filesystem::directory_iterator("/sys/bus/pci/devices", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++devices;
  }
  ASSERT_TRUE(live["pci"].is_object() && live["pci"]["devices"].is_array()) << live.dump();
  EXPECT_EQ(live["pci"]["devices"].size(), devices);
  EXPECT_EQ(offline, live) << "live:    " << live.dump() << "\noffline: " << offline.dump();
  EXPECT_EQ(ptdoctor::testing::unknown_paths(compared.offline), ptdoctor::testing::unknown_paths(compared.live));
}

}  // namespace
}  // namespace ptdoctor::snapshot
