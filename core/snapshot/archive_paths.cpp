#include "snapshot/archive_paths.hpp"

#include <vector>

#include "host/path_util.hpp"

namespace ptdoctor::snapshot {
namespace {

std::vector<std::string> components(std::string_view path) {
  std::vector<std::string> parts;
  for (auto& part : host::split_path(path)) {
    if (part != ".") parts.push_back(std::move(part));
  }
  return parts;
}

}  // namespace

std::optional<std::string> canonical_entry_path(std::string_view name, std::string& why, std::size_t max_length,
                                                std::size_t max_depth) {
  if (name.empty()) {
    why = "empty entry name";
    return std::nullopt;
  }
  if (name.front() == '/') {
    why = "absolute path";
    return std::nullopt;
  }
  if (name.size() > max_length) {
    why = "path longer than " + std::to_string(max_length) + " bytes";
    return std::nullopt;
  }
  if (name.find('\0') != std::string_view::npos) {
    why = "NUL byte in the name";
    return std::nullopt;
  }
  auto parts = components(name);
  for (const auto& part : parts) {
    if (part == "..") {
      why = "'..' in the path";
      return std::nullopt;
    }
  }
  if (parts.size() > max_depth) {
    why = "deeper than " + std::to_string(max_depth) + " directories";
    return std::nullopt;
  }
  if (parts.empty()) return std::string();  // "./": the root itself
  return host::join_path(parts, "");
}

bool link_target_stays_inside(std::string_view link_path, std::string_view target) {
  if (target.empty() || target.front() == '/') return false;
  auto parts = components(target);
  std::size_t depth = components(link_path).size();
  std::size_t directory_depth = depth == 0 ? 0 : depth - 1;
  std::size_t ups = 0;
  while (ups < parts.size() && parts[ups] == "..") ++ups;
  if (ups > directory_depth) return false;
  for (std::size_t i = ups; i < parts.size(); ++i) {
    if (parts[i] == "..") return false;
  }
  return true;
}

std::optional<std::string> contained_link_target(std::string_view link_host_path, std::string_view target) {
  auto link_parts = components(link_host_path);
  if (link_parts.empty()) return std::nullopt;
  std::vector<std::string> directory(link_parts.begin(), link_parts.end() - 1);
  std::vector<std::string> resolved = target.starts_with('/') ? std::vector<std::string>{} : directory;
  for (auto& part : components(target)) {
    if (part != "..") {
      resolved.push_back(std::move(part));
    } else if (resolved.empty()) {
      return std::nullopt;  // climbs above the root
    } else {
      resolved.pop_back();
    }
  }
  // Express the resolved path relative to the link's directory: up to the common prefix, then down.
  std::size_t common = 0;
  while (common < directory.size() && common < resolved.size() && directory[common] == resolved[common]) ++common;
  std::string result;
  for (std::size_t i = common; i < directory.size(); ++i) result += "../";
  for (std::size_t i = common; i < resolved.size(); ++i) result += resolved[i] + "/";
  if (result.empty()) return std::string(".");
  result.pop_back();
  return result;
}

}  // namespace ptdoctor::snapshot
