#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <regex>
#include <string>

#include "engine/install_paths.hpp"
#include "ptdoctor/config.hpp"

namespace ptdoctor {
namespace {

TEST(InstallPaths, DerivedFromTheBinaryLocation) {
  auto paths = engine::install_paths_for("/opt/pt/" + std::string(config::kBinRelDir) + "/ptdoctor");
  EXPECT_EQ(paths.prefix, "/opt/pt");
  EXPECT_EQ(paths.plugin_dir, "/opt/pt/" + std::string(config::kPluginRelDir));
  EXPECT_EQ(paths.rules_dir, "/opt/pt/" + std::string(config::kRulesRelDir));
  EXPECT_EQ(paths.archive_module, "/opt/pt/" + std::string(config::kArchiveModuleRelPath));
}

TEST(InstallPaths, StagedBuildTreeMirrorsTheInstall) {
  auto paths = engine::install_paths_for(PTDOCTOR_BIN);
  EXPECT_EQ(paths.plugin_dir, std::string(PTDOCTOR_STAGE_PLUGIN_DIR));
  EXPECT_EQ(paths.rules_dir, std::string(PTDOCTOR_STAGE_RULES_DIR));
  EXPECT_EQ(paths.archive_module, std::string(PTDOCTOR_STAGE_ARCHIVE_MODULE));
}

}  // namespace
}  // namespace ptdoctor

namespace ptdoctor {
namespace {

std::string man_page() {
  std::ifstream in(std::string(PTDOCTOR_SOURCE_DIR) + "/docs/ptdoctor.1");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The man page's FILES section must name the directories the binary really looks in: the source-install form
// (<prefix>/lib/ptdoctor/plugins) and the Debian package's multiarch form (/usr/lib/<multiarch>/...).
TEST(InstallPaths, ManPageFilesNameTheLookedUpDirectories) {
  std::string page = man_page();
  ASSERT_FALSE(page.empty());
  std::string plugins = config::kPluginRelDir;
  std::string rules = config::kRulesRelDir;
  EXPECT_NE(page.find("<prefix>/" + rules + "/"), std::string::npos) << rules;
  EXPECT_NE(page.find("/usr/" + rules + "/"), std::string::npos) << rules;
  // lib/ptdoctor/plugins, or lib/<multiarch>/ptdoctor/plugins where GNUInstallDirs picks the multiarch libdir.
  std::regex multiarch("lib/[a-z0-9_]+-linux-gnu[a-z0-9_]*/ptdoctor/plugins");
  if (std::regex_match(plugins, multiarch)) {
    EXPECT_NE(page.find("/usr/lib/<multiarch>/ptdoctor/plugins/"), std::string::npos);
  } else {
    EXPECT_NE(page.find("<prefix>/" + plugins + "/"), std::string::npos) << plugins;
  }
  EXPECT_NE(page.find("<prefix>/bin/ptdoctor"), std::string::npos);
}

}  // namespace
}  // namespace ptdoctor
