#include "host/path_util.hpp"

namespace ptdoctor::host {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start < path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) parts.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

std::string join_path(const std::vector<std::string>& parts, std::string_view tail) {
  std::string joined;
  for (const auto& part : parts) {
    if (!joined.empty()) joined += '/';
    joined += part;
  }
  if (!tail.empty()) {
    if (!joined.empty()) joined += '/';
    joined += tail;
  }
  return joined;
}

// As join_path(split_path(path), "") without a string per component: every file read goes through here.
std::string relative_to_root(std::string_view path) {
  std::string relative;
  relative.reserve(path.size());
  std::size_t start = 0;
  while (start < path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) {
      if (!relative.empty()) relative += '/';
      relative.append(path, start, slash - start);
    }
    start = slash + 1;
  }
  return relative;
}

std::string normalize_host_path(std::string_view path) { return "/" + relative_to_root(path); }

}  // namespace ptdoctor::host
