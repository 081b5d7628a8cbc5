#pragma once
// std::regex (libstdc++) matches by recursive backtracking: its stack use grows with the text and its time can
// grow exponentially with nested quantifiers, and its compiler overflows on a huge count (regex_guard.cpp). Rules
// and the gpu quirk list match host data and users paste messages, so every pattern is checked at load and every
// search is bounded here.
#include <optional>
#include <regex>
#include <string>
#include <string_view>

namespace ptdoctor {

// Longest text searched. x86 kernel command lines are at most 2048 bytes; 4 KiB stays far from the 8 MiB main
// stack even in a debug build (measured: 16 KiB of "(a|b)*" overflowed it).
inline constexpr std::size_t kMaxMatchLength = 4096;

// Compiles a pattern (ECMAScript, optionally case-insensitive), refusing what could hang: an unbounded
// quantifier applied to a group that contains one, such as "(a+)+" or "(x*y)*", and a count or back-reference
// number std::regex cannot read safely (more than nine digits). Returns the problem as text.
std::optional<std::string> compile_pattern(const std::string& pattern, bool ignore_case, std::regex& out);

// regex_search on at most kMaxMatchLength bytes; nullopt when the text is longer or the engine gives up.
std::optional<bool> bounded_search(std::string_view text, const std::regex& pattern);

}  // namespace ptdoctor
