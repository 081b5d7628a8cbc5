#pragma once
// Which plugins a run lacks, and why: a plugin the fact catalog declares that was not loaded (no file, or its file
// refused), and a loaded one that threw while collecting. A missing plugin must read as "cannot tell", never as
// the facts it would have written being false (a broken package upgrade is not "your kernel cannot run Xen").
#include <set>
#include <string>
#include <vector>

#include "facts/fact_catalog.hpp"
#include "plugin/plugin_loader.hpp"
#include "ptdoctor/report.hpp"

namespace ptdoctor::cli {

struct AbsentPlugin {
  std::string fact_namespace;  // what its facts are under: marked unknown with problem.reason
  PluginProblem problem;
};

// The catalog's plugins (except the parts-list facts, which core/spec writes, never a plugin) that `loaded` lacks.
// `directories` are those searched, for the reason ("no ptdoctor-pci.so in /usr/lib/ptdoctor/plugins"); a file
// named ptdoctor-NAME.so that the loader refused makes NAME refused with the loader's reason.
std::vector<AbsentPlugin> absent_plugins(const facts::FactCatalog& catalog, const plugin::LoadOutcome& loaded,
                                         const std::vector<std::string>& directories);

// Whether every plugin with installed fact declarations is loaded, judged from the declaration files' names alone:
// plugins/NAME/facts.yaml is installed as NAME.yaml (cmake/PtdoctorTargets.cmake) and declares `plugin: NAME`.
// When it holds, absent_plugins() would find nothing, and the declarations need not be parsed on every run (that
// parse is about a third of a live check's instructions). False when the directory cannot be listed.
bool every_declared_plugin_loaded(const std::string& facts_dir, const plugin::LoadOutcome& loaded);

// The problems a report names: absent plugins and failed runs whose namespace the rules read (`rule_namespaces`).
std::vector<PluginProblem> needed_plugin_problems(const std::vector<AbsentPlugin>& absent,
                                                  const std::vector<plugin::LoadedPlugin>& loaded,
                                                  const std::vector<PluginRun>& runs,
                                                  const std::set<std::string>& rule_namespaces);

}  // namespace ptdoctor::cli
