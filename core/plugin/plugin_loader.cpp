#include "plugin/plugin_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace ptdoctor::plugin {
namespace fs = std::filesystem;

Result<LoadedPlugin> load_plugin_file(const std::string& path) {
  static const ModuleKind kPlugin{"plugin", "plugins", "not a ptdoctor plugin", "ptdoctor_plugin_abi",
                                  kPluginAbiVersion, "; rebuild the plugin against this version",
                                  "ptdoctor_plugin_factory"};
  auto library = open_trusted_module(path, kPlugin);
  if (!library) return library.error();
  LoadedPlugin loaded;
  loaded.path = path;
  loaded.library = std::move(library.value());
  try {
    auto& factory = loaded.library->get_alias<PluginFactory>(kPlugin.entry_symbol);
    loaded.plugin = factory();
    if (!loaded.plugin) return make_error(ErrorKind::kInvalidInput, path + ": plugin factory returned nothing");
    loaded.info = loaded.plugin->info();
  } catch (const std::exception& e) {
    return make_error(ErrorKind::kInvalidInput, path + ": cannot load: " + e.what());
  }
  if (loaded.info.name.empty() || loaded.info.fact_namespace.empty()) {
    return make_error(ErrorKind::kInvalidInput, path + ": plugin declares no name or fact namespace");
  }
  return loaded;
}

LoadOutcome load_plugins(const std::vector<std::string>& directories) {
  LoadOutcome outcome;
  std::map<std::string, std::string> loaded_from;  // name -> path
  std::map<std::string, std::string> namespace_owner;
  for (const std::string& directory : directories) {
    if (auto trusted = check_trusted(directory); !trusted) {
      outcome.problems.push_back(trusted.error());
      continue;
    }
    std::error_code ec;
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(directory, ec)) {
      if (entry.path().extension() == ".so" && entry.is_regular_file()) files.push_back(entry.path().string());
    }
    if (ec) {
      outcome.problems.push_back(make_error(ErrorKind::kIo, directory + ": " + ec.message()));
      continue;
    }
    std::sort(files.begin(), files.end());
    for (const std::string& file : files) {
      auto loaded = load_plugin_file(file);
      if (!loaded) {
        outcome.refused_files[file] = loaded.error().message;
        outcome.problems.push_back(loaded.error());
        continue;
      }
      const std::string name = loaded->info.name;
      if (auto it = loaded_from.find(name); it != loaded_from.end()) {
        outcome.problems.push_back(make_error(ErrorKind::kInvalidInput, file + ": plugin '" + name +
                                                                            "' already loaded from " + it->second +
                                                                            "; ignored"));
        continue;
      }
      const std::string& ns = loaded->info.fact_namespace;
      if (auto it = namespace_owner.find(ns); it != namespace_owner.end()) {
        outcome.problems.push_back(make_error(ErrorKind::kInvalidInput, file + ": fact namespace '" + ns +
                                                                            "' already belongs to plugin '" +
                                                                            it->second + "'; ignored"));
        continue;
      }
      loaded_from[name] = file;
      namespace_owner[ns] = name;
      outcome.plugins.push_back(std::move(loaded.value()));
    }
  }
  return outcome;
}

std::vector<LoadedPlugin*> order_by_needs(std::vector<LoadedPlugin>& plugins) {
  std::map<std::string, LoadedPlugin*> by_namespace;
  for (auto& p : plugins) by_namespace[p.info.fact_namespace] = &p;
  std::vector<LoadedPlugin*> ordered;
  std::set<LoadedPlugin*> placed, visiting;
  // Depth-first over needs; a plugin met again while visiting is a cycle and is left where it stands.
  auto visit = [&](auto&& self, LoadedPlugin* p) -> void {
    if (placed.count(p) || visiting.count(p)) return;
    visiting.insert(p);
    for (const auto& need : p->info.needs) {
      if (auto it = by_namespace.find(need); it != by_namespace.end()) self(self, it->second);
    }
    visiting.erase(p);
    placed.insert(p);
    ordered.push_back(p);
  };
  for (auto& p : plugins) visit(visit, &p);
  return ordered;
}

}  // namespace ptdoctor::plugin
