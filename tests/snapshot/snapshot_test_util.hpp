#pragma once
// Shared by the snapshot tests: run the probe plugin (and optionally the staged plugins) on a view.
#include <string>
#include <vector>

#include "engine/collect.hpp"
#include "host/rooted_host_view.hpp"
#include "plugin/plugin_loader.hpp"

namespace ptdoctor::testing {

inline std::vector<plugin::LoadedPlugin> load_probe_plugin() {
  std::vector<plugin::LoadedPlugin> plugins;
  auto probe = plugin::load_plugin_file(PTDOCTOR_PROBE_PLUGIN);
  if (probe) plugins.push_back(std::move(probe.value()));
  return plugins;
}

inline std::unique_ptr<host::RootedHostView> open_view(const std::string& root, bool live) {
  host::HostViewOptions options;
  options.live = live;
  auto view = host::RootedHostView::open(root, options);
  return view ? std::move(view.value()) : nullptr;
}

// Fact paths marked unknown (reasons differ legitimately: "not captured" offline vs the live error text).
inline std::vector<std::string> unknown_paths(const engine::Collection& collection) {
  std::vector<std::string> paths;
  for (const auto& [path, reason] : collection.facts.unknown_reasons()) paths.push_back(path);
  return paths;
}

}  // namespace ptdoctor::testing
