#include "snapshot/archive_module.hpp"

#include <optional>

#include "engine/install_paths.hpp"
#include "plugin/trusted_module.hpp"

namespace ptdoctor::snapshot {
namespace {

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
  static const plugin::ModuleKind kArchive{"archive module", "the archive module", "not ptdoctor's archive module",
                                           "ptdoctor_archive_abi", kArchiveAbiVersion, "",
                                           "ptdoctor_archive_backend"};
  auto library = plugin::open_trusted_module(path, kArchive);
  if (!library) return unusable(library.error().message);
  ArchiveModule module;
  module.library = std::move(library.value());
  try {
    module.backend = &module.library->get_alias<ArchiveBackendGetter>(kArchive.entry_symbol)();
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
