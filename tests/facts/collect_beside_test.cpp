// Plugins collecting on the helper thread (engine::Turns::kBeside: cpu and xen) must leave the collection exactly
// as running every plugin in line does: the same facts, provenance and unknown reasons, the same diagnostics in
// the same order, the same runs in the same order. Held on every fixture host with every staged plugin, and on a
// root where a plugin beside and plugins in line before and after it all write diagnostics.

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

// The helper with a view of its own (RootedHostView::sibling, as the CLI runs it): the same collection, and what
// the two views read together is what one view reads running every plugin in line (a snapshot copies that list).
TEST_P(CollectBeside, WithItsOwnViewGivesWhatRunningInLineGivesAndReadsTheSameFiles) {
  host::HostViewOptions options;
  options.live = false;
  options.record_accesses = true;
  auto view = host::RootedHostView::open(fixture_root(GetParam()), options);
  auto in_line_view = host::RootedHostView::open(fixture_root(GetParam()), options);
  ASSERT_TRUE(view.ok());
  ASSERT_TRUE(in_line_view.ok());
  const std::unique_ptr<host::RootedHostView> sibling = (*view)->sibling();
  ASSERT_NE(sibling, nullptr);
  const engine::Collection beside = collect(**view, {}, {}, engine::Turns::kBeside, sibling.get());
  const engine::Collection in_line = collect(**in_line_view, {}, {}, engine::Turns::kInLine);
  expect_same(beside, in_line, GetParam());
  EXPECT_FALSE(sibling->accessed().empty()) << "the helper's plugins read nothing through their own view";
  (*view)->add_accessed(*sibling);
  EXPECT_EQ((*view)->accessed(), (*in_line_view)->accessed());
}

INSTANTIATE_TEST_SUITE_P(EveryFixtureHost, CollectBeside, ::testing::ValuesIn(world().fixtures), fixture_test_name);

TEST(CollectBesideDiagnostics, TheHelpersDiagnosticsKeepTheirPlace) {
  // Inputs each plugin reports a problem with: cpu (beside: a CPUID capture with no leaves), pci (in line: a file
  // where a device link belongs), kernel (in line: a config that is not gzip) and xen (beside: a bad xl info line).
  // Their diagnostics must come out in that order, the helper's between the calling thread's.
  TempTree tree;
  tree.write("/.ptdoctor/capture/cpuid.txt", "not a cpuid dump\n");
  tree.write("/proc/cpuinfo", "garbage\n");
  tree.write("/sys/bus/pci/devices/0000:00:01.0", "a file, not a device link");
  tree.write("/proc/config.gz", "not gzip");
  tree.write("/.ptdoctor/capture/xl-info.txt", "host : x\nthis line is bad\n");
  host::HostViewOptions options;
  options.live = false;
  auto view = host::RootedHostView::open(tree.path(), options);
  ASSERT_TRUE(view.ok());
  const engine::Collection beside = collect(**view, {}, {}, engine::Turns::kBeside);
  const engine::Collection in_line = collect(**view, {}, {}, engine::Turns::kInLine);
  // Without all four speaking, diagnostics appended at the end instead of in their place could pass.
  std::string origins;
  for (const Diagnostic& diagnostic : in_line.diagnostics) {
    if (origins.empty() || origins.substr(origins.rfind(' ') + 1) != diagnostic.origin) {
      origins += " " + diagnostic.origin;
    }
  }
  EXPECT_EQ(origins, " cpu pci kernel xen");
  expect_same(beside, in_line, tree.path());
}

}  // namespace
}  // namespace ptdoctor::testing
