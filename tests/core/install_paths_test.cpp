#include <gtest/gtest.h>

#include "engine/install_paths.hpp"
#include "ptdoctor/config.hpp"

namespace ptdoctor {
namespace {

TEST(InstallPaths, DerivedFromTheBinaryLocation) {
  auto paths = engine::install_paths_for("/opt/pt/" + std::string(config::kBinRelDir) + "/ptdoctor");
  EXPECT_EQ(paths.prefix, "/opt/pt");
  EXPECT_EQ(paths.plugin_dir, "/opt/pt/" + std::string(config::kPluginRelDir));
  EXPECT_EQ(paths.rules_dir, "/opt/pt/" + std::string(config::kRulesRelDir));
}

TEST(InstallPaths, StagedBuildTreeMirrorsTheInstall) {
  auto paths = engine::install_paths_for(PTDOCTOR_BIN);
  EXPECT_EQ(paths.plugin_dir, std::string(PTDOCTOR_STAGE_PLUGIN_DIR));
  EXPECT_EQ(paths.rules_dir, std::string(PTDOCTOR_STAGE_RULES_DIR));
}

}  // namespace
}  // namespace ptdoctor
