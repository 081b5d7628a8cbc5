#include "quirk_db.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "quirk_cache.hpp"
#include "regex_guard.hpp"

namespace ptdoctor::gpu {
namespace {

constexpr const char* kFileName = "gpu-quirks.yaml";

std::string where(const std::string& origin, const YAML::Node& node) {
  return origin + ":" + std::to_string(node.Mark().line + 1);
}

unsigned parse_id(const std::string& text, const std::string& context) {
  std::size_t used = 0;
  unsigned long value = std::stoul(text, &used, 16);
  if (used != text.size() || value > 0xffff) throw std::invalid_argument(context + ": bad id '" + text + "'");
  return static_cast<unsigned>(value);
}

std::string string_of(const YAML::Node& node, const char* key, const std::string& context) {
  if (!node[key] || !node[key].IsScalar()) throw std::invalid_argument(context + ": missing '" + key + "'");
  return node[key].as<std::string>();
}

Quirk parse_quirk(const YAML::Node& node, const std::string& origin) {
  const std::string context = where(origin, node);
  Quirk quirk;
  quirk.id = string_of(node, "id", context);
  quirk.title = string_of(node, "title", context);
  quirk.severity = string_of(node, "severity", context);
  if (quirk.severity != "blocker" && quirk.severity != "warning" && quirk.severity != "info") {
    throw std::invalid_argument(context + ": severity must be blocker, warning or info");
  }
  quirk.explanation = string_of(node, "explanation", context);
  quirk.workaround = string_of(node, "workaround", context);
  if (node["refs"]) {
    for (const auto& ref : node["refs"]) quirk.refs.push_back(ref.as<std::string>());
  }
  const YAML::Node match = node["match"];
  if (!match || !match.IsMap()) throw std::invalid_argument(context + ": missing 'match' map");
  if (match["vendor"]) quirk.vendor = parse_id(match["vendor"].as<std::string>(), context);
  if (match["devices"]) {
    for (const auto& item : match["devices"]) {
      const std::string text = item.as<std::string>();
      const std::size_t dash = text.find('-');
      const unsigned low = parse_id(text.substr(0, dash), context);
      const unsigned high = dash == std::string::npos ? low : parse_id(text.substr(dash + 1), context);
      quirk.device_ranges.emplace_back(low, high);
    }
  }
  if (match["classes"]) {
    for (const auto& item : match["classes"]) quirk.classes.push_back(parse_id(item.as<std::string>(), context));
  }
  if (match["name_matches"]) {
    quirk.name_pattern = match["name_matches"].as<std::string>();
    // Through the rules' guard: a nested repetition or an overlong count is refused here as in a rule file.
    if (auto bad = compile_name_pattern(*quirk.name_pattern, quirk.name_matches)) {
      throw std::invalid_argument(context + ": name_matches: " + *bad);
    }
  }
  if (match["bus0"]) quirk.bus0 = match["bus0"].as<bool>();
  return quirk;
}

unsigned id_of(const Json& device, const char* key) {
  const Json& value = device.contains(key) ? device[key] : Json();
  if (!value.is_string()) return 0x10000;  // matches nothing
  return static_cast<unsigned>(std::stoul(value.get<std::string>(), nullptr, 16));
}

bool matches(const Quirk& quirk, const Json& device) {
  if (quirk.vendor && *quirk.vendor != id_of(device, "vendor_id")) return false;
  if (!quirk.device_ranges.empty()) {
    const unsigned id = id_of(device, "device_id");
    bool any = false;
    for (const auto& [low, high] : quirk.device_ranges) any = any || (id >= low && id <= high);
    if (!any) return false;
  }
  if (!quirk.classes.empty() &&
      std::find(quirk.classes.begin(), quirk.classes.end(), id_of(device, "class")) == quirk.classes.end()) {
    return false;
  }
  if (quirk.name_matches) {
    const Json& name = device.contains("device_name") ? device["device_name"] : Json();
    if (!name.is_string() || !std::regex_search(name.get<std::string>(), *quirk.name_matches)) return false;
  }
  if (quirk.bus0) {
    const std::string bdf = device.value("bdf", std::string());
    if ((bdf.size() > 7 && bdf.compare(5, 2, "00") == 0) != *quirk.bus0) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> compile_name_pattern(const std::string& pattern, std::optional<std::regex>& out) {
  std::regex compiled;
  if (auto bad = compile_pattern(pattern, false, compiled)) return bad;
  out = std::move(compiled);
  return std::nullopt;
}

Result<QuirkDb> QuirkDb::parse(const std::string& text, const std::string& origin) {
  QuirkDb db;
  db.origin_ = origin;
  try {
    const YAML::Node root = YAML::Load(text);
    if (!root.IsMap() || !root["kind"] || root["kind"].as<std::string>() != "gpu-quirks") {
      return make_error(ErrorKind::kInvalidInput, origin + ": not a gpu-quirks file (top-level kind: gpu-quirks)");
    }
    for (const auto& node : root["quirks"]) db.quirks_.push_back(parse_quirk(node, origin));
  } catch (const std::exception& e) {  // yaml-cpp and std::regex report by exception: kept inside this function
    return make_error(ErrorKind::kInvalidInput, origin + ": " + e.what() + "; fix or reinstall the file");
  }
  return db;
}

Result<QuirkDb> QuirkDb::load(const std::vector<std::string>& directories) {
  for (const std::string& directory : directories) {
    const std::string path = directory + "/" + kFileName;
    std::ifstream in(path);
    if (!in) continue;
    std::ostringstream text;
    text << in.rdbuf();
    // yaml-cpp took 4.4 M of a live check's 63 M instructions for these 4.5 KB (callgrind): the build's cache of
    // the same bytes, when there is one, is read instead. Any other file, or a cache that does not decode, is
    // parsed as YAML, so the cache can only save time.
    if (std::optional<QuirkDb> cached = read_quirk_cache_file(directory + "/" + kQuirkCacheName, text.str(), path)) {
      cached->from_cache_ = true;
      return std::move(*cached);
    }
    return parse(text.str(), path);
  }
  return make_error(ErrorKind::kNotFound, std::string("no ") + kFileName + " in the rules directories (" +
                                              std::to_string(directories.size()) +
                                              " searched); reinstall ptdoctor or pass --rules");
}

Json QuirkDb::match(const Json& device) const {
  Json found = Json::array();
  for (const Quirk& quirk : quirks_) {
    if (!matches(quirk, device)) continue;
    found.push_back({{"id", quirk.id},
                     {"severity", quirk.severity},
                     {"title", quirk.title},
                     {"explanation", quirk.explanation},
                     {"workaround", quirk.workaround},
                     {"refs", quirk.refs}});
  }
  return found;
}

}  // namespace ptdoctor::gpu
