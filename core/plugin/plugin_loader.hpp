#pragma once
// Finds, vets and loads check plugins (shared libraries) with Boost.DLL.
// A plugin is refused, with a message naming the file, when it or its directory is writable by group/other or
// owned by someone other than root or us (ptdoctor runs as root: a writable plugin is a root exploit), when it
// lacks the ABI symbol, or when its ABI number differs from ours. Nothing else in the library is touched first.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include "plugin/trusted_module.hpp"
#include "ptdoctor/plugin_api.hpp"

namespace ptdoctor::plugin {

struct LoadedPlugin {
  // Declared first so it is destroyed last: the plugin's code must outlive the plugin object.
  std::shared_ptr<boost::dll::shared_library> library;
  std::unique_ptr<Plugin> plugin;
  PluginInfo info;
  std::string path;
};

struct LoadOutcome {
  std::vector<LoadedPlugin> plugins;
  std::vector<Error> problems;  // each names the file and what is wrong
  // Plugin files the loader refused (not a plugin, other ABI, load error, unsafe owner or mode) -> the problem,
  // so a caller can tell "ptdoctor-pci.so was refused" from "there is no pci plugin".
  std::map<std::string, std::string> refused_files;
};

Result<LoadedPlugin> load_plugin_file(const std::string& path);

// Loads every "*.so" in each directory, in order; a plugin whose name is already loaded is refused.
LoadOutcome load_plugins(const std::vector<std::string>& directories);

// Orders plugins so that each runs after the namespaces it needs. Unknown needs are ignored (the plugin will see
// missing facts); a cycle keeps the given order for the plugins in it.
std::vector<LoadedPlugin*> order_by_needs(std::vector<LoadedPlugin>& plugins);

}  // namespace ptdoctor::plugin
