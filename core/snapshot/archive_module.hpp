#pragma once
// Loads ptdoctor-archive.so (archive_backend.hpp says why archives are a module) with Boost.DLL, vetted like a
// plugin: refused, with a message naming the file, when it or its directory is writable by group/other or owned
// by someone other than root or us, when it lacks the ABI symbol, or when its ABI number differs from ours.
#include <memory>
#include <string>

#include <boost/dll/shared_library.hpp>

#include "snapshot/archive_backend.hpp"

namespace ptdoctor::snapshot {

struct ArchiveModule {
  // Declared first so it is destroyed last: the backend's code must outlive every use of it.
  std::shared_ptr<boost::dll::shared_library> library;
  const ArchiveBackend* backend = nullptr;
};

// Errors are kUnsupported (this ptdoctor cannot read or write archives) and say which file to reinstall.
Result<ArchiveModule> load_archive_module(const std::string& path);

// Where archive_backend() loads the module from, if called before it first does; by default
// engine::install_paths().archive_module, the module installed beside this ptdoctor. Tests built outside the
// stage point it at the staged module.
void use_archive_module(const std::string& path);

// The backend snapshot reading and writing use, loaded on the first call (so only commands that touch an archive
// pay for libarchive); later calls give the same backend, or the same error. The module is never unloaded.
Result<const ArchiveBackend*> archive_backend();

}  // namespace ptdoctor::snapshot
