#include "snapshot/archive_module.hpp"

#include <filesystem>
#include <optional>

#include "engine/install_paths.hpp"
#include "plugin/plugin_loader.hpp"

namespace ptdoctor::snapshot {
namespace {

constexpr const char* kWhat = "the archive module";

Error unusable(const std::string& problem) {
  return make_error(ErrorKind::kUnsupported, "cannot read or write snapshot archives: " + problem +
                                                 "; reinstall ptdoctor (this module comes with it)");
}

std::optional<std::string>& chosen_path() {
  static std::optional<std::string> path;
  return path;
}

}  // namespace

Result<ArchiveModule> load_archive_module(const std::string& path) {
  // The file first: when it is missing, its name is what to report, not its directory's.
  for (const std::string& checked : {path, std::filesystem::path(path).parent_path().string()}) {
    if (auto trusted = plugin::check_trusted(checked, kWhat); !trusted) return unusable(trusted.error().message);
  }
  ArchiveModule module;
  try {
    module.library = std::make_shared<boost::dll::shared_library>(
        path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    if (!module.library->has("ptdoctor_archive_abi")) {
      return unusable(path + ": not ptdoctor's archive module (no ptdoctor_archive_abi symbol)");
    }
    int abi = module.library->get<int()>("ptdoctor_archive_abi")();
    if (abi != kArchiveAbiVersion) {
      return unusable(path + ": archive module ABI " + std::to_string(abi) + ", this ptdoctor needs ABI " +
                      std::to_string(kArchiveAbiVersion));
    }
    if (!module.library->has("ptdoctor_archive_backend")) {
      return unusable(path + ": archive module has no ptdoctor_archive_backend");
    }
    module.backend = &module.library->get_alias<ArchiveBackendGetter>("ptdoctor_archive_backend")();
  } catch (const std::exception& e) {
    return unusable(path + ": cannot load: " + e.what());
  }
  return module;
}

void use_archive_module(const std::string& path) { chosen_path() = path; }

Result<const ArchiveBackend*> archive_backend() {
  static const Result<ArchiveModule> loaded =
      load_archive_module(chosen_path().value_or(engine::install_paths().archive_module));
  if (!loaded) return loaded.error();
  return loaded->backend;
}

}  // namespace ptdoctor::snapshot
