#pragma once
// Replaces a file's contents all at once: a reader sees the old bytes or the new, never a mix, and a crash leaves
// one or the other. (Write a temporary file in the same directory, fsync it, rename it over, fsync the directory.)
#include <functional>
#include <optional>
#include <string>

#include "ptdoctor/result.hpp"

namespace ptdoctor {

// mode: permission bits of the new file; when unset, those of the file replaced, else 0644.
Status write_file_atomically(const std::string& path, const std::string& contents,
                             std::optional<unsigned> mode = std::nullopt);

// The same, for contents too big to hold in memory at once: `fill` writes them to the temporary file's descriptor
// and returns 0, or the errno of the write that failed (the file is then left as it was).
Status write_file_atomically_from(const std::string& path, const std::function<int(int fd)>& fill,
                                  std::optional<unsigned> mode = std::nullopt);

}  // namespace ptdoctor
