// The fast check that lets a run skip parsing the fact declarations: it must say "all loaded" only when
// absent_plugins() would find nothing, and the installed declaration files must be named after their plugin.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/plugin_problems.hpp"
#include "facts/fact_catalog.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::cli {
namespace {

plugin::LoadOutcome loaded(std::initializer_list<const char*> names) {
  plugin::LoadOutcome outcome;
  for (const char* name : names) {
    plugin::LoadedPlugin plugin;
    plugin.info.name = name;
    plugin.info.fact_namespace = name;
    outcome.plugins.push_back(std::move(plugin));
  }
  return outcome;
}

TEST(EveryDeclaredPluginLoaded, HoldsOnlyWhenEachDeclarationFileHasItsPlugin) {
  testing::TempTree facts;
  facts.write("/acpi.yaml", "plugin: acpi\n");
  facts.write("/pci.yaml", "plugin: pci\n");
  facts.write("/spec.yaml", "plugin: spec\n");  // written by the core from --spec, never a plugin
  facts.write("/README", "not a declaration file\n");
  EXPECT_TRUE(every_declared_plugin_loaded(facts.path(), loaded({"acpi", "pci"})));
  EXPECT_TRUE(every_declared_plugin_loaded(facts.path(), loaded({"acpi", "pci", "extra"})));
  EXPECT_FALSE(every_declared_plugin_loaded(facts.path(), loaded({"acpi"})));
  EXPECT_FALSE(every_declared_plugin_loaded(facts.path(), loaded({})));
  EXPECT_FALSE(every_declared_plugin_loaded(facts.path() + "/no-such-dir", loaded({"acpi", "pci"})));
}

// The premise of the fast check: the staged declaration files are named after the plugin they declare, so
// "a file per loaded plugin" means absent_plugins() finds nothing.
TEST(EveryDeclaredPluginLoaded, StagedDeclarationFilesAreNamedAfterTheirPlugin) {
  const std::string dir = PTDOCTOR_STAGE_FACTS_DIR;
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    facts::FactCatalog catalog;
    ASSERT_TRUE(catalog.load_file(entry.path().string()).empty()) << entry.path();
    EXPECT_EQ(catalog.plugins(), std::vector<std::string>{entry.path().stem().string()}) << entry.path();
    ++files;
  }
  EXPECT_GE(files, 8) << dir;
}

}  // namespace
}  // namespace ptdoctor::cli
