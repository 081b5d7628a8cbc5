#pragma once
// Small helpers over yaml-cpp shared by the rule loader and the expression parser: 1-based locations, scalar
// typing that matches how plugins write facts, and bounded conversion to JSON (aliases can make a tiny file
// describe an enormous tree, so every walk here has a node budget and a depth cap).
#include <string>

#include <yaml-cpp/yaml.h>

#include "ptdoctor/json.hpp"

namespace ptdoctor::rules {

inline constexpr int kMaxDepth = 64;            // nesting of expressions and literal values
inline constexpr int kMaxNodes = 20000;         // nodes visited per rule, aliases counted every time they are used

// "file:line:column" from a 0-based YAML::Mark (printed 1-based); "file" alone when the mark is unknown.
std::string where(const std::string& file, const YAML::Mark& mark);

// A plain or quoted scalar as the value a rule author means: quoted -> string; plain true/false -> bool,
// null/~/empty -> null, decimal integers -> int, decimal floats -> float, anything else (0x1002 too) -> string.
Json scalar_to_json(const YAML::Node& scalar);

// Counts nodes walked against kMaxNodes; false once the budget is spent.
class NodeBudget {
 public:
  bool spend() { return ++used_ <= kMaxNodes; }
 private:
  int used_ = 0;
};

// Converts a YAML tree to JSON. Fails (returns false, `problem` set) beyond kMaxDepth or the node budget.
bool yaml_to_json(const YAML::Node& node, Json& out, NodeBudget& budget, std::string& problem, int depth = 0);

// A value as one line of flow-style YAML ("{gt: [{length: $pci.devices}, 0]}") for `ptdoctor explain`;
// strings that YAML would read as something else are double-quoted.
std::string compact_yaml(const Json& value);

}  // namespace ptdoctor::rules
