#pragma once
// Lexical rules for the paths and link targets a snapshot archive may hold (shared by writer and reader so that
// whatever `ptdoctor snapshot` writes, `--snapshot` accepts).
#include <optional>
#include <string>
#include <string_view>

namespace ptdoctor::snapshot {

// The entry name made canonical ("./sys//x/" -> "sys/x"), or an explanation of why it is refused: empty, absolute,
// containing "..", too long or too deep.
std::optional<std::string> canonical_entry_path(std::string_view name, std::string& why, std::size_t max_length,
                                                std::size_t max_depth);

// Whether a symlink stored at `link_path` (canonical, relative to the root) with `target` stays inside the root by
// construction: relative, a run of leading ".." no longer than the link's directory depth, and no ".." after it.
// Together with the reader refusing entries below a symlink, every link then resolves inside the extraction dir.
bool link_target_stays_inside(std::string_view link_path, std::string_view target);

// For the writer: `target` read from the host rewritten into the form above (absolute targets are host paths, so
// relative to the root), or nullopt when it leaves the root.
std::optional<std::string> contained_link_target(std::string_view link_host_path, std::string_view target);

}  // namespace ptdoctor::snapshot
