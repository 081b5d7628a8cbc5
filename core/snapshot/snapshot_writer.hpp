#pragma once
// Writing a snapshot: a gzip-compressed POSIX tar laid out as a host root ("sys/...", "proc/...",
// ".ptdoctor/capture/xl-info.txt", ".ptdoctor/manifest.json"), written to a temporary file next to the target and
// renamed over it, so a reader never sees half an archive.
#include <map>
#include <string>

#include "ptdoctor/result.hpp"

namespace ptdoctor::snapshot {

struct ArchiveEntry {
  enum class Type { kFile, kDirectory, kSymlink };
  Type type = Type::kFile;
  std::string content;  // files
  std::string target;   // symlinks: relative, contained (archive_paths.hpp)
};

// Keyed by canonical relative path ("sys/bus/pci/devices"): sorted, so every parent precedes its children.
using ArchiveEntries = std::map<std::string, ArchiveEntry>;

// Adds a directory entry for every missing parent of every entry.
void add_parent_directories(ArchiveEntries& entries);

Status write_archive(const std::string& path, const ArchiveEntries& entries);

}  // namespace ptdoctor::snapshot
