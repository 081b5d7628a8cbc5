#pragma once
// Writing a snapshot: a gzip-compressed POSIX tar laid out as a host root ("sys/...", "proc/...",
// ".ptdoctor/capture/xl-info.txt", ".ptdoctor/manifest.json"), written to a temporary file next to the target and
// renamed over it, so a reader never sees half an archive.
#include <string>

#include "ptdoctor/result.hpp"
#include "snapshot/archive_entries.hpp"

namespace ptdoctor::snapshot {

// Adds a directory entry for every missing parent of every entry.
void add_parent_directories(ArchiveEntries& entries);

// Written by the archive module (archive_module.hpp), loaded here if it is not yet.
Status write_archive(const std::string& path, const ArchiveEntries& entries);

}  // namespace ptdoctor::snapshot
