#include "libarchive_backend.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <ctime>

namespace ptdoctor::archive {
namespace {

using snapshot::ArchiveEntries;
using snapshot::ArchiveEntry;
using snapshot::ArchiveHeader;
using snapshot::ArchiveReader;

// The core compares entry types with the POSIX constants.
static_assert(AE_IFREG == S_IFREG && AE_IFDIR == S_IFDIR && AE_IFLNK == S_IFLNK);

struct ReadCloser {
  void operator()(::archive* a) const { archive_read_free(a); }
};
struct WriteCloser {
  void operator()(::archive* a) const { archive_write_free(a); }
};
struct EntryCloser {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

class LibarchiveReader final : public ArchiveReader {
 public:
  explicit LibarchiveReader(std::unique_ptr<::archive, ReadCloser> reader) : reader_(std::move(reader)) {}

  Next next(ArchiveHeader& header) override {
    archive_entry* entry = nullptr;
    int rc = archive_read_next_header(reader_.get(), &entry);
    if (rc == ARCHIVE_EOF) return Next::kEnd;
    if (rc < ARCHIVE_WARN) return Next::kDamaged;
    const char* name = archive_entry_pathname(entry);
    header.name = name != nullptr ? name : "";
    header.type = archive_entry_filetype(entry);
    header.hard_link = archive_entry_hardlink(entry) != nullptr;
    const char* symlink = archive_entry_symlink(entry);
    header.symlink = symlink != nullptr ? symlink : "";
    header.size = archive_entry_size_is_set(entry) ? static_cast<std::uint64_t>(archive_entry_size(entry)) : 0;
    return Next::kEntry;
  }
  std::int64_t read(char* buffer, std::size_t size) override { return archive_read_data(reader_.get(), buffer, size); }
  bool skip() override { return archive_read_data_skip(reader_.get()) >= ARCHIVE_WARN; }
  std::int64_t compressed_bytes() override { return archive_filter_bytes(reader_.get(), -1); }
  const char* error() const override { return archive_error_string(reader_.get()); }

 private:
  std::unique_ptr<::archive, ReadCloser> reader_;
};

Error write_failure(::archive* a, const std::string& path, const std::string& what) {
  const char* message = archive_error_string(a);
  return make_error(ErrorKind::kIo, path + ": " + what + ": " + (message != nullptr ? message : "libarchive error"));
}

Status write_entries(::archive* a, const std::string& shown, const ArchiveEntries& entries) {
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
      return write_failure(a, shown, "cannot write entry '" + name + "'");
    }
    if (item.type == ArchiveEntry::Type::kFile && !item.content.empty() &&
        archive_write_data(a, item.content.data(), item.content.size()) < 0) {
      return write_failure(a, shown, "cannot write data of '" + name + "'");
    }
  }
  return Ok{};
}

class Libarchive final : public snapshot::ArchiveBackend {
 public:
  Result<std::unique_ptr<ArchiveReader>> open(const std::string& path) const override {
    std::unique_ptr<::archive, ReadCloser> reader(archive_read_new());
    archive_read_support_filter_gzip(reader.get());
    archive_read_support_filter_xz(reader.get());
    archive_read_support_filter_zstd(reader.get());
    archive_read_support_filter_none(reader.get());
    archive_read_support_format_tar(reader.get());
    archive_read_support_format_gnutar(reader.get());
    if (archive_read_open_filename(reader.get(), path.c_str(), 65536) != ARCHIVE_OK) {
      const char* message = archive_error_string(reader.get());
      return make_error(ErrorKind::kInvalidInput, message != nullptr ? message : "");
    }
    return std::unique_ptr<ArchiveReader>(std::make_unique<LibarchiveReader>(std::move(reader)));
  }

  Status write(int fd, const std::string& shown, const ArchiveEntries& entries) const override {
    std::unique_ptr<::archive, WriteCloser> writer(archive_write_new());
    archive_write_add_filter_gzip(writer.get());
    archive_write_set_format_pax_restricted(writer.get());
    if (archive_write_open_fd(writer.get(), fd) != ARCHIVE_OK) return write_failure(writer.get(), shown, "open");
    if (auto written = write_entries(writer.get(), shown, entries); !written) return written;
    if (archive_write_close(writer.get()) != ARCHIVE_OK) return write_failure(writer.get(), shown, "close");
    return Ok{};
  }
};

}  // namespace

const snapshot::ArchiveBackend& libarchive_backend() {
  static const Libarchive backend;
  return backend;
}

}  // namespace ptdoctor::archive
