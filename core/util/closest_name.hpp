#pragma once
// "Did you mean …?" for a misspelt name (a command, an option, a rule id): the known name nearest to what was typed.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor {

// Edit distance counting insertions, deletions, substitutions and swaps of two neighbours as one each ("chek" ->
// "check" is 1, "fxi" -> "fix" is 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The known name nearest to `typed`, when it is near enough to be a typo (at most 2 edits, and at most a third of
// the longer name, so "zz" suggests nothing); ties go to the first in `known`.
std::optional<std::string> closest_name(std::string_view typed, const std::vector<std::string>& known);

}  // namespace ptdoctor
