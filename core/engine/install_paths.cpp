#include "engine/install_paths.hpp"

#include <filesystem>
#include <system_error>

#include "ptdoctor/config.hpp"

namespace ptdoctor::engine {
namespace fs = std::filesystem;

InstallPaths install_paths_for(const std::string& executable) {
  fs::path bin_dir = fs::path(executable).parent_path();
  fs::path prefix = bin_dir;
  // Climb as many levels as the bin reldir has ("bin" -> one, "usr/bin" style layouts -> more).
  for (const auto& part : fs::path(config::kBinRelDir)) {
    (void)part;
    prefix = prefix.parent_path();
  }
  InstallPaths paths;
  paths.prefix = prefix.string();
  paths.plugin_dir = (prefix / config::kPluginRelDir).string();
  paths.rules_dir = (prefix / config::kRulesRelDir).string();
  paths.facts_dir = (prefix / config::kFactsRelDir).string();
  paths.archive_module = (prefix / config::kArchiveModuleRelPath).string();
  return paths;
}

InstallPaths install_paths() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) self = fs::path("/usr/bin/ptdoctor");
  return install_paths_for(self.string());
}

}  // namespace ptdoctor::engine
