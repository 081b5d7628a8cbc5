#include "fix/root_files.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace ptdoctor::fix {
namespace {

std::string parent_of(const std::string& path) {
  std::size_t slash = path.rfind('/');
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string name_of(const std::string& path) { return path.substr(path.rfind('/') + 1); }

std::string join(const std::string& dir, const std::string& name) {
  return dir.size() > 1 && dir.back() == '/' ? dir + name : (dir == "/" ? "/" + name : dir + "/" + name);
}

}  // namespace

Status check_host_path(const std::string& host_path) {
  if (host_path.empty() || host_path[0] != '/' || host_path.back() == '/') {
    return make_error(ErrorKind::kInvalidInput, "\"" + host_path + "\" is not an absolute file path");
  }
  std::size_t start = 1;
  while (start <= host_path.size()) {
    std::size_t end = host_path.find('/', start);
    if (end == std::string::npos) end = host_path.size();
    std::string part = host_path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") {
      return make_error(ErrorKind::kInvalidInput, "\"" + host_path + "\": empty, \".\" or \"..\" component");
    }
    start = end + 1;
  }
  return Ok{};
}

Result<std::string> existing_write_path(const HostView& host, const std::string& host_path) {
  if (auto checked = check_host_path(host_path); !checked) return checked.error();
  auto parent = host.resolve(parent_of(host_path));
  if (!parent) return parent.error();
  return join(host.real_path(*parent), name_of(host_path));
}

Result<std::string> prepare_write_path(const HostView& host, const std::string& host_path,
                                       std::vector<std::string>* created) {
  if (auto checked = check_host_path(host_path); !checked) return checked.error();
  if (host.read_link(host_path)) {
    return make_error(ErrorKind::kInvalidInput, host.root() + host_path +
                                                    " is a symbolic link: ptdoctor does not write through links; "
                                                    "replace it with the file it points to and plan again");
  }
  // Walk up to the deepest existing directory, then create the rest below its resolved location.
  std::vector<std::string> missing;
  std::string dir = parent_of(host_path);
  while (dir != "/" && !host.exists(dir)) {
    missing.push_back(dir);
    dir = parent_of(dir);
  }
  auto base = host.resolve(dir);
  if (!base) return base.error();
  auto info = host.stat(*base);
  if (!info) return info.error();
  if (info->type != FileInfo::Type::kDirectory) {
    return make_error(ErrorKind::kInvalidInput, host.root() + dir + " is not a directory");
  }
  std::string real_dir = host.real_path(*base);
  std::string host_dir = *base;
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    real_dir = join(real_dir, name_of(*it));
    host_dir = join(host_dir, name_of(*it));
    if (::mkdir(real_dir.c_str(), 0755) != 0 && errno != EEXIST) {
      return make_error(errno == EACCES ? ErrorKind::kPermissionDenied : ErrorKind::kIo,
                        real_dir + ": cannot create directory: " + std::strerror(errno));
    }
    if (created) created->push_back(host_dir);
  }
  return join(real_dir, name_of(host_path));
}

Result<std::optional<FileState>> read_state(const HostView& host, const std::string& host_path) {
  if (auto checked = check_host_path(host_path); !checked) return checked.error();
  if (host.read_link(host_path)) {
    return make_error(ErrorKind::kInvalidInput, host.root() + host_path + " is a symbolic link");
  }
  if (!host.exists(host_path)) return std::optional<FileState>{};
  auto info = host.stat(host_path);
  if (!info) return info.error();
  if (info->type != FileInfo::Type::kRegular) {
    return make_error(ErrorKind::kInvalidInput, host.root() + host_path + " is not a regular file");
  }
  auto bytes = host.read_file(host_path);
  if (!bytes) return bytes.error();
  return std::optional<FileState>{FileState{std::move(*bytes), info->mode, info->uid}};
}

}  // namespace ptdoctor::fix
