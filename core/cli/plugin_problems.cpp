#include "cli/plugin_problems.hpp"

#include <algorithm>
#include <filesystem>

namespace ptdoctor::cli {
namespace {

// The parts list's facts (spec.*) are made by the core from --spec, not by a plugin file.
constexpr std::string_view kCoreWrittenPlugin = "spec";

std::string namespace_of(const facts::FactCatalog& catalog, const std::string& plugin_name) {
  std::vector<const facts::FactDecl*> decls = catalog.of_plugin(plugin_name);
  if (decls.empty()) return plugin_name;
  const std::string& path = decls.front()->path;
  return path.substr(0, path.find('.'));
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

}  // namespace

std::vector<AbsentPlugin> absent_plugins(const facts::FactCatalog& catalog, const plugin::LoadOutcome& loaded,
                                         const std::vector<std::string>& directories) {
  std::vector<AbsentPlugin> absent;
  for (const std::string& name : catalog.plugins()) {
    if (name == kCoreWrittenPlugin) continue;
    const std::string fact_namespace = namespace_of(catalog, name);
    bool present = std::any_of(loaded.plugins.begin(), loaded.plugins.end(), [&](const plugin::LoadedPlugin& p) {
      return p.info.name == name || p.info.fact_namespace == fact_namespace;
    });
    if (present) continue;
    const std::string file_name = "ptdoctor-" + name + ".so";
    AbsentPlugin entry{fact_namespace, {name, PluginProblemKind::kMissing, ""}};
    for (const auto& [file, why] : loaded.refused_files) {
      if (std::filesystem::path(file).filename() != file_name) continue;
      entry.problem.kind = PluginProblemKind::kRefused;
      entry.problem.reason = why;
    }
    if (entry.problem.kind == PluginProblemKind::kMissing) {
      entry.problem.reason = directories.empty()
                                 ? "no plugin directory was searched (--no-default-plugins without --plugin-dir)"
                                 : "no " + file_name + " in " + joined(directories);
    }
    absent.push_back(std::move(entry));
  }
  return absent;
}

bool every_declared_plugin_loaded(const std::string& facts_dir, const plugin::LoadOutcome& loaded) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (fs::directory_iterator it(facts_dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() != ".yaml") continue;
    const std::string name = it->path().stem().string();
    if (name == kCoreWrittenPlugin) continue;
    const bool present = std::any_of(loaded.plugins.begin(), loaded.plugins.end(),
                                     [&](const plugin::LoadedPlugin& p) { return p.info.name == name; });
    if (!present) return false;
  }
  return !ec;
}

std::vector<PluginProblem> needed_plugin_problems(const std::vector<AbsentPlugin>& absent,
                                                  const std::vector<plugin::LoadedPlugin>& loaded,
                                                  const std::vector<PluginRun>& runs,
                                                  const std::set<std::string>& rule_namespaces) {
  std::vector<PluginProblem> problems;
  for (const AbsentPlugin& entry : absent) {
    if (rule_namespaces.count(entry.fact_namespace)) problems.push_back(entry.problem);
  }
  for (const PluginRun& run : runs) {
    if (run.ok) continue;
    auto plugin = std::find_if(loaded.begin(), loaded.end(),
                               [&](const plugin::LoadedPlugin& p) { return p.info.name == run.name; });
    if (plugin == loaded.end() || !rule_namespaces.count(plugin->info.fact_namespace)) continue;
    problems.push_back({run.name, PluginProblemKind::kFailed,
                        "threw while collecting: " + (run.error.empty() ? std::string("no reason given") : run.error)});
  }
  return problems;
}

}  // namespace ptdoctor::cli
