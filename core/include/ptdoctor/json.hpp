#pragma once
// The fact model's value type: a JSON-like tree (null, bool, integer, string, list, map).
// nlohmann::json is header-only, so plugins and core share it without a link dependency.
#include <nlohmann/json.hpp>

namespace ptdoctor {
using Json = nlohmann::json;
}
