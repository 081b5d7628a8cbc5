#include "snapshot/snapshot_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>
#include <vector>

#include "host/path_util.hpp"
#include "input_file.hpp"
#include "scoped_fd.hpp"
#include "snapshot/archive_module.hpp"
#include "snapshot/archive_paths.hpp"

namespace ptdoctor::snapshot {
namespace {

constexpr const char* kManifestPath = ".ptdoctor/manifest.json";

class Extractor {
 public:
  Extractor(std::string archive_path, const ExtractLimits& limits, int root_fd)
      : archive_path_(std::move(archive_path)), limits_(limits), root_fd_(root_fd) {}

  // validate_only: check every header and skip the data, writing nothing (the first of two passes).
  Status run(ArchiveReader& a, std::size_t& entries, bool validate_only);

 private:
  Error refuse(const std::string& entry, const std::string& why) const {
    return make_error(ErrorKind::kInvalidInput, "snapshot " + archive_path_ + ": entry '" + entry +
                                                    "': " + why + "; the archive was refused, nothing was used");
  }
  Error damaged(const ArchiveReader& a, const std::string& where) const {
    const char* message = a.error();
    return make_error(ErrorKind::kInvalidInput,
                      "snapshot " + archive_path_ + ": damaged or truncated archive " + where + ": " +
                          (message != nullptr ? message : "unknown libarchive error") +
                          "; take the snapshot again (ptdoctor snapshot) and copy it whole");
  }
  // Opens (creating as needed) the directory holding `parts[0..n-1]`, refusing to pass through a symlink.
  Result<int> open_parent(const std::vector<std::string>& parts, const std::string& entry);
  Status write_file(ArchiveReader& a, int dir_fd, const std::string& name, const std::string& entry, std::uint64_t size);
  Status check_ratio(ArchiveReader& a, const std::string& entry) const;

  std::string archive_path_;
  const ExtractLimits& limits_;
  int root_fd_;
  std::uint64_t total_bytes_ = 0;
  std::set<std::string> seen_;
};

Result<int> Extractor::open_parent(const std::vector<std::string>& parts, const std::string& entry) {
  int fd = ::dup(root_fd_);
  if (fd < 0) return refuse(entry, std::string("cannot open the extraction directory: ") + std::strerror(errno));
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (::mkdirat(fd, parts[i].c_str(), 0700) != 0 && errno != EEXIST) {
      int err = errno;
      ::close(fd);
      return refuse(entry, "cannot create directory '" + parts[i] + "': " + std::strerror(err));
    }
    // O_NOFOLLOW|O_DIRECTORY: a component that is a symlink (or a file) fails here, so no entry lands below a link.
    int next = ::openat(fd, parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int err = errno;
    ::close(fd);
    if (next < 0) {
      return refuse(entry, "goes through '" + host::join_path({parts.begin(), parts.begin() + i + 1}, "") +
                               "', which is not a directory (" + std::strerror(err) + ")");
    }
    fd = next;
  }
  return fd;
}

Status Extractor::check_ratio(ArchiveReader& a, const std::string& entry) const {
  if (total_bytes_ <= limits_.ratio_grace_bytes) return Ok{};
  std::int64_t compressed = a.compressed_bytes();
  if (compressed <= 0) return Ok{};
  if (total_bytes_ / static_cast<std::uint64_t>(compressed) > limits_.max_ratio) {
    return refuse(entry, "expands more than " + std::to_string(limits_.max_ratio) +
                             " times its compressed size (an archive bomb?)");
  }
  return Ok{};
}

Status Extractor::write_file(ArchiveReader& a, int dir_fd, const std::string& name, const std::string& entry,
                             std::uint64_t size) {
  int fd = ::openat(dir_fd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return refuse(entry, std::string("cannot create: ") + std::strerror(errno));
  ScopedFd file(fd);
  std::uint64_t written = 0;
  char buffer[65536];
  while (true) {
    std::int64_t n = a.read(buffer, sizeof buffer);
    if (n < 0) return damaged(a, "in entry '" + entry + "'");
    if (n == 0) break;
    written += static_cast<std::uint64_t>(n);
    total_bytes_ += static_cast<std::uint64_t>(n);
    // The header's size was checked already; these catch archives whose data disagrees with it.
    if (written > size || written > limits_.max_file_bytes) return refuse(entry, "more data than its header says");
    if (total_bytes_ > limits_.max_total_bytes) {
      return refuse(entry, "the archive expands to more than " + std::to_string(limits_.max_total_bytes >> 20) +
                               " MiB");
    }
    if (auto ratio = check_ratio(a, entry); !ratio) return ratio;
    std::size_t done = 0;
    while (done < static_cast<std::size_t>(n)) {
      ssize_t w = ::write(file.get(), buffer + done, static_cast<std::size_t>(n) - done);
      if (w < 0) {
        if (errno == EINTR) continue;
        return refuse(entry, std::string("cannot write: ") + std::strerror(errno));
      }
      done += static_cast<std::size_t>(w);
    }
  }
  ::fchmod(file.get(), 0644);
  return Ok{};
}

Status Extractor::run(ArchiveReader& a, std::size_t& entries, bool validate_only) {
  ArchiveHeader header;
  total_bytes_ = 0;
  seen_.clear();
  entries = 0;
  while (true) {
    ArchiveReader::Next next = a.next(header);
    if (next == ArchiveReader::Next::kEnd) break;
    if (next == ArchiveReader::Next::kDamaged) return damaged(a, "after " + std::to_string(entries) + " entries");
    const std::string& entry = header.name;
    if (++entries > limits_.max_entries) {
      return refuse(entry, "more than " + std::to_string(limits_.max_entries) + " entries in the archive");
    }
    std::string why;
    auto canonical = canonical_entry_path(entry, why, limits_.max_path_length, limits_.max_depth);
    if (!canonical) return refuse(entry, why);
    if (header.hard_link) return refuse(entry, "hard links are not allowed");
    mode_t type = header.type;
    if (canonical->empty()) {
      if (type == S_IFDIR) continue;  // "./" names the root
      return refuse(entry, "names the root but is not a directory");
    }
    if (type == S_IFDIR) {
      if (!seen_.insert(*canonical + "/").second) continue;  // a repeated directory is harmless
    } else if (!seen_.insert(*canonical).second || seen_.count(*canonical + "/") != 0) {
      return refuse(entry, "appears twice in the archive");
    }
    std::uint64_t size = header.size;
    if (size > limits_.max_file_bytes) {
      return refuse(entry, "claims " + std::to_string(size) + " bytes, more than the " +
                               std::to_string(limits_.max_file_bytes >> 20) + " MiB a snapshot file may have");
    }
    if (total_bytes_ + size > limits_.max_total_bytes) {
      return refuse(entry, "the archive expands to more than " + std::to_string(limits_.max_total_bytes >> 20) +
                               " MiB");
    }
    if (type != S_IFDIR && type != S_IFREG && type != S_IFLNK) {
      return refuse(entry, "device nodes, FIFOs and sockets are not allowed in a snapshot");
    }
    if (type == S_IFLNK) {
      const std::string& target = header.symlink;
      if (!link_target_stays_inside(*canonical, target)) {
        return refuse(entry, "symbolic link to '" + target + "' points outside the snapshot");
      }
    }
    if (validate_only) {
      total_bytes_ += size;
      if (auto ratio = check_ratio(a, entry); !ratio) return ratio;
      if (!a.skip()) return damaged(a, "in entry '" + entry + "'");
      continue;
    }
    auto parts = host::split_path(*canonical);
    auto parent = open_parent(parts, entry);
    if (!parent) return parent.error();
    ScopedFd dir(*parent);
    const std::string& name = parts.back();
    switch (type) {
      case S_IFDIR:
        if (::mkdirat(dir.get(), name.c_str(), 0755) != 0 && errno != EEXIST) {
          return refuse(entry, std::string("cannot create directory: ") + std::strerror(errno));
        }
        break;
      case S_IFREG:
        if (auto written = write_file(a, dir.get(), name, entry, size); !written) return written;
        break;
      default:  // S_IFLNK, its target checked above (so not empty)
        if (::symlinkat(header.symlink.c_str(), dir.get(), name.c_str()) != 0) {
          return refuse(entry, std::string("cannot create symbolic link: ") + std::strerror(errno));
        }
        break;
    }
  }
  return Ok{};
}

Result<std::string> make_private_dir(const std::string& temp_parent) {
  std::string parent = temp_parent;
  if (parent.empty()) {
    const char* tmpdir = std::getenv("TMPDIR");
    parent = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
  }
  std::string pattern = parent + "/ptdoctor-snapshot-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {  // mkdtemp makes it 0700
    return make_error(ErrorKind::kIo, "cannot create a private directory in " + parent + ": " +
                                          std::strerror(errno) + "; set TMPDIR to a writable directory");
  }
  return pattern;
}

Json read_manifest(const std::string& root) {
  std::error_code ec;
  std::filesystem::path path = std::filesystem::path(root) / kManifestPath;
  if (!std::filesystem::is_regular_file(std::filesystem::symlink_status(path, ec))) return nullptr;
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return nullptr;
  std::string text;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, file)) text.append(buffer, n);
  std::fclose(file);
  Json manifest = Json::parse(text, nullptr, false);
  return manifest.is_discarded() ? Json(nullptr) : manifest;
}

Result<std::unique_ptr<ArchiveReader>> open_archive(const ArchiveBackend& backend, const std::string& archive_path) {
  auto reader = backend.open(archive_path);
  if (!reader) {
    const std::string& message = reader.error().message;
    return make_error(ErrorKind::kInvalidInput, "snapshot " + archive_path + ": cannot open: " +
                                                    (message.empty() ? "unknown error" : message) +
                                                    "; give a .tar.gz written by `ptdoctor snapshot`");
  }
  return reader;
}

}  // namespace

ExtractedSnapshot::~ExtractedSnapshot() {
  std::error_code ignored;
  std::filesystem::remove_all(root_, ignored);  // does not follow symlinks
}

Result<std::unique_ptr<ExtractedSnapshot>> extract_snapshot(const std::string& archive_path,
                                                            const ExtractLimits& limits,
                                                            const std::string& temp_parent) {
  // A device or FIFO would never end or never start; a compressed archive is never larger than what it holds.
  if (auto ok = check_input_file(archive_path, InputKind{"snapshot archive", static_cast<std::size_t>(limits.max_total_bytes)}); !ok) {
    return ok.error();
  }
  auto backend = archive_backend();
  if (!backend) return backend.error();
  // Pass 1 checks every header (and that the archive is complete) without writing anything; pass 2 extracts.
  {
    auto reader = open_archive(**backend, archive_path);
    if (!reader) return reader.error();
    Extractor validator(archive_path, limits, -1);
    std::size_t entries = 0;
    if (auto valid = validator.run(**reader, entries, true); !valid) return valid.error();
  }
  auto reader = open_archive(**backend, archive_path);
  if (!reader) return reader.error();
  auto dir = make_private_dir(temp_parent);
  if (!dir) return dir.error();
  std::unique_ptr<ExtractedSnapshot> extracted(new ExtractedSnapshot(archive_path, *dir));
  int root_fd = ::open(dir->c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) return make_error(ErrorKind::kIo, *dir + ": " + std::strerror(errno));
  ScopedFd root(root_fd);
  Extractor extractor(archive_path, limits, root.get());
  auto status = extractor.run(**reader, extracted->entries_, false);
  if (!status) return status.error();  // the destructor removes what was extracted
  extracted->manifest_ = read_manifest(extracted->root());
  return extracted;
}

}  // namespace ptdoctor::snapshot
