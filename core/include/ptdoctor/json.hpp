#pragma once
// The fact model's value type: a JSON-like tree (null, bool, integer, string, list, map).
// nlohmann::json is header-only, so plugins and core share it without a link dependency. Its objects are
// JsonObjectMap (members in one sorted vector, not std::map nodes): same order, half the memory per member;
// see json_object_map.hpp for what that changes about references into an object.
#include <nlohmann/json.hpp>

#include "ptdoctor/json_object_map.hpp"

namespace ptdoctor {
using Json = nlohmann::basic_json<JsonObjectMap>;
}
