#include "snapshot/snapshot_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "snapshot/archive_module.hpp"

namespace ptdoctor::snapshot {

void add_parent_directories(ArchiveEntries& entries) {
  std::vector<std::string> parents;
  for (const auto& [name, item] : entries) {
    for (std::size_t slash = name.find('/'); slash != std::string::npos; slash = name.find('/', slash + 1)) {
      parents.push_back(name.substr(0, slash));
    }
  }
  for (const auto& parent : parents) {
    if (entries.count(parent) == 0) entries[parent].type = ArchiveEntry::Type::kDirectory;
  }
}

Status write_archive(const std::string& path, const ArchiveEntries& entries) {
  namespace fs = std::filesystem;
  auto backend = archive_backend();
  if (!backend) return backend.error();
  fs::path target(path);
  fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::string temp = (dir / ("." + target.filename().string() + ".ptdoctor-XXXXXX")).string();
  int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    return make_error(ErrorKind::kIo, path + ": cannot create a temporary file in " + dir.string() + ": " +
                                          std::strerror(errno));
  }
  auto cleanup = [&](Error error) {
    ::close(fd);
    ::unlink(temp.c_str());
    return error;
  };
  if (auto written = (*backend)->write(fd, path, entries); !written) return cleanup(written.error());
  // Readable by the user only: a snapshot describes the machine in detail.
  if (::fchmod(fd, 0600) != 0 || ::fsync(fd) != 0) {
    return cleanup(make_error(ErrorKind::kIo, path + ": " + std::strerror(errno)));
  }
  ::close(fd);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    Error error = make_error(ErrorKind::kIo, path + ": rename: " + std::strerror(errno));
    ::unlink(temp.c_str());
    return error;
  }
  return Ok{};
}

}  // namespace ptdoctor::snapshot
