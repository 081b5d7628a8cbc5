#pragma once
// The seam between snapshots and libarchive. Linking libarchive (and through it libxml2, ICU, nettle, lzma, zstd,
// lz4, bz2 and acl) costs every ptdoctor run about a millisecond of dynamic loading, yet only `ptdoctor snapshot`
// and `--snapshot` touch an archive; so libarchive lives in a module of its own, ptdoctor-archive.so
// (core/archive), loaded on first use (archive_module.hpp). The module only moves bytes: what an archive may hold
// is decided in the core (snapshot_reader.cpp), whichever backend reads it.
// Bump kArchiveAbiVersion on any change to this header, archive_entries.hpp or ptdoctor/result.hpp.
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

#include "ptdoctor/result.hpp"
#include "snapshot/archive_entries.hpp"

namespace ptdoctor::snapshot {

inline constexpr int kArchiveAbiVersion = 1;

// One entry's header as stored.
struct ArchiveHeader {
  std::string name;           // the path name; empty when the archive gives none
  mode_t type = 0;            // S_IFREG, S_IFDIR, S_IFLNK, ... (libarchive's AE_IF* are the POSIX values)
  bool hard_link = false;     // a hard link to an earlier entry
  std::string symlink;        // a symbolic link's target; empty when none is stored
  std::uint64_t size = 0;     // the data's size; 0 when the header gives none
};

// Reads an archive entry by entry, libarchive's way: after next(), the entry's data is read or skipped.
class ArchiveReader {
 public:
  enum class Next { kEntry, kEnd, kDamaged };

  virtual ~ArchiveReader() = default;
  virtual Next next(ArchiveHeader& header) = 0;
  // Up to `size` bytes of the current entry's data: how many, 0 at its end, negative when the archive is damaged.
  virtual std::int64_t read(char* buffer, std::size_t size) = 0;
  // Skips the current entry's data; false when the archive is damaged.
  virtual bool skip() = 0;
  // Compressed bytes read from the file so far; 0 or negative when not known.
  virtual std::int64_t compressed_bytes() = 0;
  // The library's message about the last failure, or nullptr when it gave none.
  virtual const char* error() const = 0;
};

class ArchiveBackend {
 public:
  virtual ~ArchiveBackend() = default;
  // A tar (plain, gzip, xz or zstd). The error's message is the library's own, empty when it gave none.
  virtual Result<std::unique_ptr<ArchiveReader>> open(const std::string& path) const = 0;
  // The entries as a gzip-compressed POSIX tar to `fd`, which stays open; errors (kIo) name `shown`.
  virtual Status write(int fd, const std::string& shown, const ArchiveEntries& entries) const = 0;
};

// What the module exports (core/archive/archive_module_entry.cpp).
using ArchiveBackendGetter = const ArchiveBackend&();

}  // namespace ptdoctor::snapshot
