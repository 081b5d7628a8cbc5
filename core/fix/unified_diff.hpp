#pragma once
// A unified diff (as `diff -u` prints it) between a file's current text and what the plan would write, so the user
// reviews exactly the bytes that change.
#include <optional>
#include <string>

namespace ptdoctor::fix {

// before: nullopt for a file that does not exist yet (shown as /dev/null). Empty result when nothing changes.
std::string unified_diff(const std::string& path, const std::optional<std::string>& before, const std::string& after,
                         int context = 3);

}  // namespace ptdoctor::fix
