#pragma once
// The compiled quirk list: rules/gpu-quirks.yaml parsed and validated at build time and stored beside it as
// gpu-quirks.cache, in the byte form of the compiled rule cache (util/byte_codec.hpp). Parsing the 4.5 KB of YAML
// with yaml-cpp cost 4.4 M of the 63 M instructions of a live `check` (callgrind; docs/performance.md, seventh
// round). The YAML stays the source: the cache is keyed by the length and hash of the YAML it was built from, so an
// edited or replaced gpu-quirks.yaml is always parsed, and a missing, truncated, corrupt or foreign cache only
// costs the time it would have saved.
//
// Layout: sealed ("ptdquirk", format 1) | varint length of the YAML | u64 hash of the YAML | varint quirk count |
// per quirk: id, title, severity, explanation, workaround (strings) | refs (varint count, strings) |
// vendor (flag, varint) | device ranges (varint count, varint low and high) | classes (varint count, varints) |
// name pattern (flag, string) | bus0 (u8: 0 unset, 1 false, 2 true).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "quirk_db.hpp"

namespace ptdoctor::gpu {

inline constexpr const char* kQuirkCacheName = "gpu-quirks.cache";
inline constexpr std::string_view kQuirkCacheMagic = "ptdquirk";
// Bump when the layout changes: a cache of another format is ignored, never misread.
inline constexpr std::uint32_t kQuirkCacheFormat = 1;

// The cache's bytes for `db`, parsed from `yaml`. Fails when the list does not read back as written.
Result<std::string> write_quirk_cache(std::string_view yaml, const QuirkDb& db);

// The cache's bytes for the quirk file at `path`. Fails, naming the file and problem, when it does not load.
Result<std::string> compile_quirk_cache(const std::string& path);

// The list cached in `cache` when it was built from exactly `yaml`, with `origin` as its origin; nullopt when the
// cache is not whole, is of another format, was built from other bytes, or holds what the YAML loader never
// makes (a severity it refuses, an id over 0xffff, a range the wrong way round, a pattern that does not compile).
std::optional<QuirkDb> read_quirk_cache(std::string_view cache, std::string_view yaml, const std::string& origin);

// The same for the cache file at `path`; nullopt when it is absent, unreadable or not a regular file as well.
std::optional<QuirkDb> read_quirk_cache_file(const std::string& path, std::string_view yaml,
                                             const std::string& origin);

}  // namespace ptdoctor::gpu
