#pragma once
// Lexical helpers for host paths (no file system access).
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor::host {

// Components of a path, empty ones dropped ("a//b/" -> {"a","b"}); "." and ".." are kept for the resolver.
std::vector<std::string> split_path(std::string_view path);
// "a/b" + "c" -> "a/b/c"; with an empty tail, just the joined parts.
std::string join_path(const std::vector<std::string>& parts, std::string_view tail);
// The path relative to the root, lexically: leading slashes removed ("/proc/x" -> "proc/x").
std::string relative_to_root(std::string_view path);
// Absolute, single slashes, no trailing slash ("proc//x/" -> "/proc/x"). Does not touch "..".
std::string normalize_host_path(std::string_view path);

}  // namespace ptdoctor::host
