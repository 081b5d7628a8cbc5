#include "config_files.hpp"

#include <array>

namespace ptdoctor::domu {
namespace {

constexpr const char* kConfigDir = "/etc/xen";

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool starts_with(const std::string& text, std::string_view prefix) { return text.rfind(prefix, 0) == 0; }

// Files Debian's xen-utils-common and older xend installs put in /etc/xen that are not domain configs, and the
// leftovers of editors and package managers (not in use by anyone). An empty result means "judge it".
std::string not_a_domain_config(const std::string& name) {
  static const std::array<const char*, 4> kToolstack = {"xl.conf", "cpupool", "oxenstored.conf", "xenapiusers"};
  for (const char* known : kToolstack) {
    if (name == known) return "toolstack configuration, not a domain";
  }
  if (starts_with(name, "README")) return "documentation";
  if (ends_with(name, ".sxp")) return "xend configuration (xend was removed in Xen 4.5)";
  if (starts_with(name, "xlexample.")) return "example shipped with Xen";
  if (starts_with(name, ".")) return "hidden file";
  for (std::string_view backup : {"~", ".bak", ".orig", ".rej", ".swp", ".old"}) {
    if (ends_with(name, backup)) return "backup or editor file";
  }
  for (std::string_view package : {".dpkg-", ".ucf-"}) {
    if (name.find(package) != std::string::npos) return "package manager leftover";
  }
  return "";
}

ConfigFile read_config(const HostView& host, const std::string& path, const std::string& origin) {
  ConfigFile file{path, origin, "", ""};
  auto text = host.read_file(path, kMaxConfigBytes);
  if (text) {
    file.text = std::move(*text);
  } else {
    file.error = text.error().message;
  }
  return file;
}

}  // namespace

bool looks_like_domain_config(const std::string& text) {
  static const std::array<std::string_view, 6> kDomainKeys = {"name", "type", "builder", "memory", "disk", "kernel"};
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    line.remove_prefix(std::min(line.find_first_not_of(" \t"), line.size()));
    for (std::string_view key : kDomainKeys) {
      if (line.substr(0, key.size()) != key) continue;
      std::string_view rest = line.substr(key.size());
      rest.remove_prefix(std::min(rest.find_first_not_of(" \t"), rest.size()));
      if (!rest.empty() && rest.front() == '=') return true;
    }
    start = end + 1;
  }
  return false;
}

ConfigSelection select_configs(const HostView& host, const std::vector<std::string>& named) {
  ConfigSelection selection;
  if (!named.empty()) {
    for (const std::string& path : named) {
      if (!starts_with(path, "/")) {
        selection.files.push_back({path, "--domu", "", "not an absolute path (--domu takes a host path)"});
        continue;
      }
      selection.files.push_back(read_config(host, path, "--domu"));
    }
    return selection;
  }
  if (!host.exists(kConfigDir)) return selection;
  auto entries = host.list_dir(kConfigDir);
  if (!entries) {
    selection.unknown = entries.error().message;
    return selection;
  }
  for (const std::string& name : *entries) {
    const std::string path = std::string(kConfigDir) + "/" + name;
    if (std::string why = not_a_domain_config(name); !why.empty()) {
      selection.skipped.push_back({path, why});
      continue;
    }
    auto info = host.stat(path);
    if (!info || info->type != FileInfo::Type::kRegular) {
      // scripts/ and auto/ (links to configs judged here already) are directories.
      selection.skipped.push_back({path, info ? "not a regular file" : info.error().message});
      continue;
    }
    ConfigFile file = read_config(host, path, "/etc/xen");
    if (!ends_with(name, ".cfg") && file.error.empty() && !looks_like_domain_config(file.text)) {
      selection.skipped.push_back({path, "not an xl domain config (no name=, type=, builder=, memory=, disk= or "
                                         "kernel= line)"});
      continue;
    }
    selection.files.push_back(std::move(file));
  }
  return selection;
}

}  // namespace ptdoctor::domu
