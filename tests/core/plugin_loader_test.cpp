// Loader behaviour with small test plugins: ABI check first, refusal of unsafe files, failures isolated.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "engine/collect.hpp"
#include "host/rooted_host_view.hpp"
#include "plugin/plugin_loader.hpp"
#include "temp_tree.hpp"

namespace ptdoctor {
namespace {
namespace fs = std::filesystem;
using testing::TempTree;

std::string test_plugin(const std::string& name) { return std::string(TEST_PLUGIN_DIR) + "/" + name + ".so"; }

// Copies test plugins into a fresh directory so a test controls exactly which plugins and modes it sees.
std::string plugin_dir_with(const TempTree& tree, const std::vector<std::string>& names, unsigned dir_mode = 0755) {
  tree.mkdir("/plugins", 0755);
  for (const auto& name : names) {
    fs::copy_file(test_plugin(name), tree.at("/plugins/" + name + ".so"));
    ::chmod(tree.at("/plugins/" + name + ".so").c_str(), 0755);
  }
  ::chmod(tree.at("/plugins").c_str(), dir_mode);
  return tree.at("/plugins");
}

TEST(PluginLoader, LoadsAPluginAndReadsItsInfo) {
  auto loaded = plugin::load_plugin_file(test_plugin("good"));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->info.name, "good");
  EXPECT_EQ(loaded->info.version, "1.2.3");
  EXPECT_EQ(loaded->info.fact_namespace, "good");
}

TEST(PluginLoader, RefusesAMismatchedAbiBeforeTouchingTheFactory) {
  // The factory of this plugin aborts: reaching it would kill the test.
  auto loaded = plugin::load_plugin_file(test_plugin("wrong_abi"));
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().kind, ErrorKind::kUnsupported);
  EXPECT_NE(loaded.error().message.find("ABI " + std::to_string(kPluginAbiVersion + 100)), std::string::npos)
      << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("wrong_abi.so"), std::string::npos);
}

TEST(PluginLoader, RefusesALibraryThatIsNotAPlugin) {
  auto loaded = plugin::load_plugin_file(test_plugin("not_a"));
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("not a ptdoctor plugin"), std::string::npos) << loaded.error().message;
}

TEST(PluginLoader, RefusesAGroupOrWorldWritableDirectory) {
  TempTree tree;
  std::string dir = plugin_dir_with(tree, {"good"}, 0777);
  auto outcome = plugin::load_plugins({dir});
  EXPECT_TRUE(outcome.plugins.empty());
  ASSERT_EQ(outcome.problems.size(), 1u);
  EXPECT_NE(outcome.problems[0].message.find("writable by group or others"), std::string::npos);
  EXPECT_NE(outcome.problems[0].message.find(dir), std::string::npos);
}

TEST(PluginLoader, RefusesAWorldWritablePluginFile) {
  TempTree tree;
  std::string dir = plugin_dir_with(tree, {"good", "first"});
  ::chmod((dir + "/good.so").c_str(), 0666);
  auto outcome = plugin::load_plugins({dir});
  ASSERT_EQ(outcome.plugins.size(), 1u);
  EXPECT_EQ(outcome.plugins[0].info.name, "first");
  ASSERT_EQ(outcome.problems.size(), 1u);
  EXPECT_NE(outcome.problems[0].message.find("good.so"), std::string::npos);
}

TEST(PluginLoader, RefusesAPluginOwnedBySomeoneElse) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a file away";
  TempTree tree;
  std::string dir = plugin_dir_with(tree, {"good"});
  ASSERT_EQ(::chown((dir + "/good.so").c_str(), 65534, 65534), 0);
  auto outcome = plugin::load_plugins({dir});
  EXPECT_TRUE(outcome.plugins.empty());
  ASSERT_EQ(outcome.problems.size(), 1u);
  EXPECT_NE(outcome.problems[0].message.find("owned by uid 65534"), std::string::npos);
}

TEST(PluginLoader, SecondPluginWithTheSameNameIsRefused) {
  TempTree a, b;
  std::string dir_a = plugin_dir_with(a, {"good"});
  std::string dir_b = plugin_dir_with(b, {"good"});
  auto outcome = plugin::load_plugins({dir_a, dir_b});
  ASSERT_EQ(outcome.plugins.size(), 1u);
  ASSERT_EQ(outcome.problems.size(), 1u);
  EXPECT_NE(outcome.problems[0].message.find("already loaded"), std::string::npos);
}

TEST(PluginLoader, MissingDirectoryIsReported) {
  auto outcome = plugin::load_plugins({"/nonexistent/ptdoctor/plugins"});
  EXPECT_TRUE(outcome.plugins.empty());
  ASSERT_EQ(outcome.problems.size(), 1u);
  EXPECT_NE(outcome.problems[0].message.find("/nonexistent/ptdoctor/plugins"), std::string::npos)
      << outcome.problems[0].message;
}

TEST(Collect, RunsPluginsInDependencyOrderAndIsolatesAThrowingOne) {
  TempTree plugins_tree, host_tree;
  host_tree.write("/etc/motd", "hello from the fixture");
  std::string dir = plugin_dir_with(plugins_tree, {"good", "first", "throwing"});
  auto outcome = plugin::load_plugins({dir});
  ASSERT_EQ(outcome.plugins.size(), 3u) << (outcome.problems.empty() ? "" : outcome.problems[0].message);
  host::HostViewOptions options;
  options.live = false;
  auto view = host::RootedHostView::open(host_tree.path(), options);
  ASSERT_TRUE(view.ok());
  engine::Collection collection = engine::collect_facts(**view, outcome.plugins, {});

  // "first" ran before "good" although "good" sorts first: good saw first's fact.
  ASSERT_NE(collection.facts.find("good.saw_first"), nullptr);
  EXPECT_EQ(*collection.facts.find("good.saw_first"), true);
  EXPECT_EQ(*collection.facts.find("good.answer"), 42);
  EXPECT_EQ(*collection.facts.find("good.motd"), "hello from the fixture");

  // The thrower is an error entry, its namespace unknown with the reason, and the run went on.
  auto thrower = std::find_if(collection.runs.begin(), collection.runs.end(),
                              [](const PluginRun& run) { return run.name == "thrower"; });
  ASSERT_NE(thrower, collection.runs.end());
  EXPECT_FALSE(thrower->ok);
  EXPECT_EQ(thrower->error, "simulated parser crash");
  auto reason = collection.facts.unknown_reason("thrower.anything");
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("simulated parser crash"), std::string::npos);
  EXPECT_EQ(collection.runs.size(), 3u);
}

TEST(Collect, PluginSeesOnlyItsRootAndRecordsUnknownWithReason) {
  TempTree plugins_tree, host_tree;
  std::string dir = plugin_dir_with(plugins_tree, {"good"});
  auto outcome = plugin::load_plugins({dir});
  ASSERT_EQ(outcome.plugins.size(), 1u);
  host::HostViewOptions options;
  options.live = false;
  auto view = host::RootedHostView::open(host_tree.path(), options);
  ASSERT_TRUE(view.ok());
  engine::Collection collection = engine::collect_facts(**view, outcome.plugins, {});
  auto reason = collection.facts.unknown_reason("good.motd");
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("/etc/motd"), std::string::npos);
}

}  // namespace
}  // namespace ptdoctor
