#include "snapshot/snapshot_writer.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>
#include <vector>

namespace ptdoctor::snapshot {
namespace {

struct WriterCloser {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryCloser {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

Error archive_failure(archive* a, const std::string& path, const std::string& what) {
  const char* message = archive_error_string(a);
  return make_error(ErrorKind::kIo, path + ": " + what + ": " + (message != nullptr ? message : "libarchive error"));
}

Status write_entries(archive* a, const std::string& shown, const ArchiveEntries& entries) {
  std::time_t now = std::time(nullptr);
  for (const auto& [name, item] : entries) {
    std::unique_ptr<archive_entry, EntryCloser> header(archive_entry_new());
    archive_entry_set_pathname(header.get(), name.c_str());
    archive_entry_set_mtime(header.get(), now, 0);
    archive_entry_set_uid(header.get(), 0);
    archive_entry_set_gid(header.get(), 0);
    switch (item.type) {
      case ArchiveEntry::Type::kDirectory:
        archive_entry_set_filetype(header.get(), AE_IFDIR);
        archive_entry_set_perm(header.get(), 0755);
        break;
      case ArchiveEntry::Type::kSymlink:
        archive_entry_set_filetype(header.get(), AE_IFLNK);
        archive_entry_set_perm(header.get(), 0777);
        archive_entry_set_symlink(header.get(), item.target.c_str());
        break;
      case ArchiveEntry::Type::kFile:
        archive_entry_set_filetype(header.get(), AE_IFREG);
        archive_entry_set_perm(header.get(), 0644);
        archive_entry_set_size(header.get(), static_cast<la_int64_t>(item.content.size()));
        break;
    }
    if (archive_write_header(a, header.get()) != ARCHIVE_OK) {
      return archive_failure(a, shown, "cannot write entry '" + name + "'");
    }
    if (item.type == ArchiveEntry::Type::kFile && !item.content.empty() &&
        archive_write_data(a, item.content.data(), item.content.size()) < 0) {
      return archive_failure(a, shown, "cannot write data of '" + name + "'");
    }
  }
  return Ok{};
}

}  // namespace

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
  std::unique_ptr<archive, WriterCloser> writer(archive_write_new());
  archive_write_add_filter_gzip(writer.get());
  archive_write_set_format_pax_restricted(writer.get());
  if (archive_write_open_fd(writer.get(), fd) != ARCHIVE_OK) return cleanup(archive_failure(writer.get(), path, "open"));
  if (auto written = write_entries(writer.get(), path, entries); !written) return cleanup(written.error());
  if (archive_write_close(writer.get()) != ARCHIVE_OK) return cleanup(archive_failure(writer.get(), path, "close"));
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
