#pragma once
// Shared by the libFuzzer targets: the input as text, and invariant checks that stop the run with a message
// libFuzzer keeps next to the reproducer (an abort is reported like a crash).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace ptdoctor::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {static_cast<const char*>(static_cast<const void*>(data)), size};
}

// Lines in the input as parsers count them (1-based; a last line without "\n" counts).
inline std::size_t line_count(std::string_view text) {
  std::size_t lines = 1;
  for (char c : text) lines += c == '\n';
  return lines;
}

inline void check(bool holds, const char* invariant) {
  if (holds) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", invariant);
  std::abort();
}

}  // namespace ptdoctor::fuzz
