#pragma once
// What a snapshot archive holds, as `ptdoctor snapshot` builds it and the archive module writes it.
#include <map>
#include <string>

namespace ptdoctor::snapshot {

struct ArchiveEntry {
  enum class Type { kFile, kDirectory, kSymlink };
  Type type = Type::kFile;
  std::string content;  // files
  std::string target;   // symlinks: relative, contained (archive_paths.hpp)
};

// Keyed by canonical relative path ("sys/bus/pci/devices"): sorted, so every parent precedes its children.
using ArchiveEntries = std::map<std::string, ArchiveEntry>;

}  // namespace ptdoctor::snapshot
