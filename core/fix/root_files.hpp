#pragma once
// Writing inside the host root. Reads go through the HostView; writes go to the real path of the parent directory
// as resolved *inside* the root, so a symlink in the tree can never send a write outside it.
#include <optional>
#include <string>
#include <vector>

#include "ptdoctor/host_view.hpp"
#include "ptdoctor/result.hpp"

namespace ptdoctor::fix {

// The real filesystem path at which to write `host_path`. Missing parent directories are created (0755) and their
// host paths appended to `created` (outermost first). A symlink or non-regular file at the target is refused.
Result<std::string> prepare_write_path(const HostView& host, const std::string& host_path,
                                       std::vector<std::string>* created);

// The real path of an existing host path's parent, joined with its name, without creating anything.
Result<std::string> existing_write_path(const HostView& host, const std::string& host_path);

// Current state of a host file: nullopt when absent. Symlinks and non-regular files are errors.
struct FileState {
  std::string bytes;
  unsigned mode = 0;
  unsigned uid = 0;
};
Result<std::optional<FileState>> read_state(const HostView& host, const std::string& host_path);

// Rejects host paths that are relative or contain "." / ".." components: plans only name plain absolute paths.
Status check_host_path(const std::string& host_path);

}  // namespace ptdoctor::fix
