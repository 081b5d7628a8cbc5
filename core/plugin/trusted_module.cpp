#include "plugin/trusted_module.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace ptdoctor::plugin {

Status check_trusted(const std::string& path, const std::string& what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return make_error(errno == ENOENT ? ErrorKind::kNotFound : ErrorKind::kIo, path + ": " + std::strerror(errno));
  }
  if (st.st_uid != 0 && st.st_uid != ::geteuid()) {
    return make_error(ErrorKind::kPermissionDenied,
                      path + ": owned by uid " + std::to_string(st.st_uid) +
                          ", not by root or the current user; refusing to load " + what + " from it");
  }
  if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    return make_error(ErrorKind::kPermissionDenied,
                      path + ": writable by group or others; refusing to load " + what + " from it (chmod go-w " +
                          path + ")");
  }
  return Ok{};
}

Result<std::shared_ptr<boost::dll::shared_library>> open_trusted_module(const std::string& path,
                                                                        const ModuleKind& kind) {
  for (const std::string& checked : {path, std::filesystem::path(path).parent_path().string()}) {
    if (auto trusted = check_trusted(checked, kind.trusted_what); !trusted) return trusted.error();
  }
  try {
    // rtld_now: an unresolved symbol fails here, naming the file, not later in the middle of a check.
    auto library = std::make_shared<boost::dll::shared_library>(
        path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    if (!library->has(kind.abi_symbol)) {
      return make_error(ErrorKind::kInvalidInput, path + ": " + kind.not_ours + " (no " + kind.abi_symbol +
                                                      " symbol)");
    }
    const int abi = library->get<int()>(kind.abi_symbol)();
    if (abi != kind.abi_version) {
      return make_error(ErrorKind::kUnsupported, path + ": " + kind.name + " ABI " + std::to_string(abi) +
                                                     ", this ptdoctor needs ABI " +
                                                     std::to_string(kind.abi_version) + kind.abi_advice);
    }
    if (!library->has(kind.entry_symbol)) {
      return make_error(ErrorKind::kInvalidInput, path + ": " + kind.name + " has no " + kind.entry_symbol);
    }
    return library;
  } catch (const std::exception& e) {
    return make_error(ErrorKind::kInvalidInput, path + ": cannot load: " + e.what());
  }
}

}  // namespace ptdoctor::plugin
