#pragma once
// Replaces a file's contents all at once: a reader sees the old bytes or the new, never a mix, and a crash leaves
// one or the other. (Write a temporary file in the same directory, fsync it, rename it over, fsync the directory.)
#include <optional>
#include <string>

#include "ptdoctor/result.hpp"

namespace ptdoctor {

// mode: permission bits of the new file; when unset, those of the file replaced, else 0644.
Status write_file_atomically(const std::string& path, const std::string& contents,
                             std::optional<unsigned> mode = std::nullopt);

}  // namespace ptdoctor
