#pragma once
// Decompresses gzip data (/proc/config.gz, a user's config.gz) with zlib, keeping what was decoded before an error
// so a corrupt tail still yields the options in front of it.
#include <optional>
#include <string>
#include <string_view>

namespace ptdoctor::hostplug {

struct Gunzipped {
  std::string data;                   // everything decoded, up to the error if any
  std::optional<std::string> error;   // "corrupt data at compressed offset 1234: invalid block type"
};

// Output beyond max_output is an error too: a hostile file must not fill memory.
Gunzipped gunzip(std::string_view compressed, std::size_t max_output = 64u << 20);

}  // namespace ptdoctor::hostplug
