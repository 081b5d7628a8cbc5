#include "rules/yaml_util.hpp"

#include <regex>

namespace ptdoctor::rules {

std::string where(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return file;
  return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

Json scalar_to_json(const YAML::Node& scalar) {
  const std::string& text = scalar.Scalar();
  // yaml-cpp tags quoted scalars "!" and plain ones "?": only plain scalars are typed.
  if (scalar.Tag() != "?") return text;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
  static const std::regex kInteger("[-+]?[0-9]+");
  static const std::regex kFloat("[-+]?([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+");
  if (text.size() < 32 && std::regex_match(text, kInteger)) {
    try {
      if (text[0] == '-') return std::stoll(text);
      return std::stoull(text[0] == '+' ? text.substr(1) : text);
    } catch (const std::out_of_range&) {
      return text;  // too large for 64 bits: keep what was written
    }
  }
  if (text.size() < 64 && std::regex_match(text, kFloat)) {
    try {
      return std::stod(text);
    } catch (const std::out_of_range&) {
      return text;
    }
  }
  return text;
}

bool yaml_to_json(const YAML::Node& node, Json& out, NodeBudget& budget, std::string& problem, int depth) {
  if (depth > kMaxDepth) {
    problem = "nested more than " + std::to_string(kMaxDepth) + " levels deep";
    return false;
  }
  if (!budget.spend()) {
    problem = "more than " + std::to_string(kMaxNodes) + " nodes (counting every use of an alias)";
    return false;
  }
  switch (node.Type()) {
    case YAML::NodeType::Scalar: out = scalar_to_json(node); return true;
    case YAML::NodeType::Sequence:
      out = Json::array();
      for (const YAML::Node& element : node) {
        Json value;
        if (!yaml_to_json(element, value, budget, problem, depth + 1)) return false;
        out.push_back(std::move(value));
      }
      return true;
    case YAML::NodeType::Map:
      out = Json::object();
      for (const auto& pair : node) {
        Json value;
        if (!yaml_to_json(pair.second, value, budget, problem, depth + 1)) return false;
        out[pair.first.Scalar()] = std::move(value);
      }
      return true;
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: out = nullptr; return true;
  }
  out = nullptr;
  return true;
}

namespace {

bool plain_safe(const std::string& text) {
  static const std::regex kPlain("[$A-Za-z_/][A-Za-z0-9_./$ -]*");
  static const std::regex kReserved("true|True|TRUE|false|False|FALSE|null|Null|NULL|~|yes|no|on|off|y|n");
  return !text.empty() && text.back() != ' ' && std::regex_match(text, kPlain) && !std::regex_match(text, kReserved);
}

}  // namespace

std::string compact_yaml(const Json& value) {
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    return plain_safe(text) ? text : value.dump();
  }
  std::string out;
  if (value.is_array()) {
    for (const Json& element : value) out += (out.empty() ? "" : ", ") + compact_yaml(element);
    return "[" + out + "]";
  }
  if (value.is_object()) {
    for (const auto& [key, element] : value.items()) {
      out += (out.empty() ? "" : ", ") + compact_yaml(Json(key)) + ": " + compact_yaml(element);
    }
    return "{" + out + "}";
  }
  return value.dump();
}

}  // namespace ptdoctor::rules
