#include "spec/gpu_quirks.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>

namespace ptdoctor::spec {
namespace {

long hex(const std::string& text) {
  try {
    return std::stol(text, nullptr, 16);
  } catch (const std::exception&) {
    return -1;
  }
}

std::string field(const YAML::Node& quirk, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    if (quirk[key] && quirk[key].IsScalar()) return quirk[key].as<std::string>();
    if (quirk["match"] && quirk["match"][key] && quirk["match"][key].IsScalar()) {
      return quirk["match"][key].as<std::string>();
    }
  }
  return "";
}

YAML::Node devices_node(const YAML::Node& quirk) {
  for (const char* key : {"device_ids", "devices", "device_id", "device"}) {
    if (quirk[key]) return quirk[key];
    if (quirk["match"] && quirk["match"][key]) return quirk["match"][key];
  }
  return YAML::Node();
}

Json ranges_of(const YAML::Node& devices) {
  Json ranges = Json::array();
  auto add = [&](const std::string& text) {
    auto dash = text.find('-');
    long low = hex(text.substr(0, dash));
    long high = dash == std::string::npos ? low : hex(text.substr(dash + 1));
    if (low >= 0 && high >= low) ranges.push_back({low, high});
  };
  if (devices.IsScalar()) add(devices.as<std::string>());
  if (devices.IsSequence()) {
    for (const YAML::Node& item : devices) {
      if (item.IsScalar()) add(item.as<std::string>());
    }
  }
  return ranges;
}

}  // namespace

QuirkTable load_gpu_quirks(const std::vector<std::string>& data_dirs) {
  QuirkTable table;
  for (const std::string& dir : data_dirs) {
    std::filesystem::path path = std::filesystem::path(dir) / "gpu-quirks.yaml";
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) continue;
    try {
      YAML::Node root = YAML::LoadFile(path.string());
      for (const YAML::Node& quirk : root["quirks"]) {
        std::string vendor = field(quirk, {"vendor_id", "vendor"});
        Json ranges = ranges_of(devices_node(quirk));
        if (vendor.empty() || ranges.empty()) continue;
        table.quirks.push_back({{"id", field(quirk, {"id"})},
                                {"severity", field(quirk, {"severity"})},
                                {"title", field(quirk, {"title"})},
                                {"workaround", field(quirk, {"workaround"})},
                                {"vendor_id", hex(vendor)},
                                {"ranges", ranges}});
      }
      table.loaded = !table.quirks.empty();
      if (!table.loaded) table.problem = path.string() + ": no quirk with vendor_id and device ids was understood";
    } catch (const YAML::Exception& e) {
      table.problem = path.string() + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg;
    }
  }
  return table;
}

Json quirks_for(const QuirkTable& table, const std::string& vendor_id, const std::string& device_id) {
  Json found = Json::array();
  long vendor = hex(vendor_id);
  long device = hex(device_id);
  for (const Json& quirk : table.quirks) {
    if (quirk["vendor_id"].get<long>() != vendor) continue;
    for (const Json& range : quirk["ranges"]) {
      if (device >= range[0].get<long>() && device <= range[1].get<long>()) {
        found.push_back({{"id", quirk["id"]}, {"severity", quirk["severity"]}, {"title", quirk["title"]},
                         {"workaround", quirk["workaround"]}});
        break;
      }
    }
  }
  return found;
}

}  // namespace ptdoctor::spec
