#pragma once
// Reading a field of a fact that should be a map, without trusting it to be one. Any fact may be unknown (null) or
// odd: nlohmann's value() throws on those, and one unknown usb.controllers[].has_keyboard once made `ptdoctor plan`
// exit 70. Each returns `fallback` when the object is not a map, lacks the key, or holds another type.
#include <string>
#include <string_view>

#include "ptdoctor/json.hpp"

namespace ptdoctor {

inline std::string string_field(const Json& object, std::string_view key, const std::string& fallback = "") {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

inline bool bool_field(const Json& object, std::string_view key, bool fallback = false) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

// Whether the field is present as a boolean: a plan step that needs it can say so when it is not.
inline bool has_bool(const Json& object, std::string_view key) {
  if (!object.is_object()) return false;
  auto it = object.find(key);
  return it != object.end() && it->is_boolean();
}

}  // namespace ptdoctor
