// A plugin collecting on the helper thread (engine::Turns::kBeside) must leave the collection exactly as running
// every plugin in line does: the same facts, provenance and unknown reasons, the same diagnostics in the same
// order, the same runs in the same order. Held on every fixture host with every staged plugin, and on a host where
// the plugin beside fails (cpu's capture unreadable) so that its diagnostics land between its neighbours'.
#include <algorithm>

#include <gtest/gtest.h>

#include "host/rooted_host_view.hpp"
#include "temp_tree.hpp"
#include "world.hpp"

namespace ptdoctor::testing {
namespace {

void expect_same(const engine::Collection& beside, const engine::Collection& in_line, const std::string& where) {
  EXPECT_EQ(beside.facts.tree(), in_line.facts.tree()) << where;
  EXPECT_EQ(beside.facts.provenance(), in_line.facts.provenance()) << where;
  EXPECT_EQ(beside.facts.unknown_reasons(), in_line.facts.unknown_reasons()) << where;
  ASSERT_EQ(beside.diagnostics.size(), in_line.diagnostics.size()) << where;
  for (std::size_t i = 0; i < beside.diagnostics.size(); ++i) {
    EXPECT_EQ(beside.diagnostics[i].level, in_line.diagnostics[i].level) << where << " " << i;
    EXPECT_EQ(beside.diagnostics[i].origin, in_line.diagnostics[i].origin) << where << " " << i;
    EXPECT_EQ(beside.diagnostics[i].message, in_line.diagnostics[i].message) << where << " " << i;
  }
  ASSERT_EQ(beside.runs.size(), in_line.runs.size()) << where;
  for (std::size_t i = 0; i < beside.runs.size(); ++i) {
    EXPECT_EQ(beside.runs[i].name, in_line.runs[i].name) << where;
    EXPECT_EQ(beside.runs[i].ok, in_line.runs[i].ok) << where;
    EXPECT_EQ(beside.runs[i].error, in_line.runs[i].error) << where;
  }
}

class CollectBeside : public ::testing::TestWithParam<std::string> {};

TEST_P(CollectBeside, GivesWhatRunningInLineGives) {
  host::HostViewOptions options;
  options.live = false;
  auto view = host::RootedHostView::open(fixture_root(GetParam()), options);
  ASSERT_TRUE(view.ok());
  const engine::Collection beside = collect(**view, {}, {}, engine::Turns::kBeside);
  const engine::Collection in_line = collect(**view, {}, {}, engine::Turns::kInLine);
  ASSERT_GE(beside.runs.size(), 8u);
  expect_same(beside, in_line, GetParam());
}

INSTANTIATE_TEST_SUITE_P(EveryFixtureHost, CollectBeside, ::testing::ValuesIn(world().fixtures), fixture_test_name);

TEST(CollectBesideDiagnostics, ThePluginBesidesDiagnosticsKeepTheirPlace) {
  // A CPUID capture that holds no leaves: the cpu plugin (the one beside) writes a diagnostic, and so do plugins
  // before and after it in order; the order must be the in-line order.
  TempTree tree;
  tree.write("/.ptdoctor/capture/cpuid.txt", "not a cpuid dump\n");
  tree.write("/proc/cpuinfo", "garbage\n");
  tree.write("/proc/config.gz", "not gzip");  // the kernel plugin, after cpu in order, says so
  host::HostViewOptions options;
  options.live = false;
  auto view = host::RootedHostView::open(tree.path(), options);
  ASSERT_TRUE(view.ok());
  const engine::Collection beside = collect(**view, {}, {}, engine::Turns::kBeside);
  const engine::Collection in_line = collect(**view, {}, {}, engine::Turns::kInLine);
  // The case must make the plugin beside speak with others speaking after it, or a diagnostic appended at the
  // end instead of in its place would pass.
  std::size_t first_cpu = in_line.diagnostics.size(), after_cpu = 0;
  for (std::size_t i = 0; i < in_line.diagnostics.size(); ++i) {
    if (in_line.diagnostics[i].origin == "cpu") first_cpu = std::min(first_cpu, i);
    else if (first_cpu < i) ++after_cpu;
  }
  ASSERT_LT(first_cpu, in_line.diagnostics.size()) << "cpu wrote no diagnostic";
  EXPECT_GT(after_cpu, 0u) << "no plugin after cpu wrote a diagnostic";
  expect_same(beside, in_line, tree.path());
}

}  // namespace
}  // namespace ptdoctor::testing
