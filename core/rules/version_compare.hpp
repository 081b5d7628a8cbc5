#pragma once
// Version ordering for version_gt/ge/lt/le/eq: "4.17.5" vs "4.10", "6.1.0-13-amd64" vs "6.1".
#include <string_view>

namespace ptdoctor::rules {

// <0, 0, >0 like strcmp. Components are split on '.', '-' and '+'; two all-digit components compare as
// numbers (of any length), anything else compares as text; a missing component counts as "0", so
// "4.17" == "4.17.0". Note the consequence of text order: "4.17" < "4.17-rc1".
int compare_versions(std::string_view left, std::string_view right);

}  // namespace ptdoctor::rules
