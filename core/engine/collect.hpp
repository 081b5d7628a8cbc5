#pragma once
// Runs every plugin against a host view and gathers their facts, provenance and diagnostics.
#include <map>
#include <string>
#include <vector>

#include "plugin/plugin_loader.hpp"
#include "ptdoctor/facts.hpp"
#include "ptdoctor/report.hpp"

namespace ptdoctor::engine {

struct Collection {
  FactStore facts;
  std::vector<PluginRun> runs;
  std::vector<Diagnostic> diagnostics;
};

// How the plugins take turns: kBeside lets plugins that read no other plugin's facts collect on a helper thread
// while the calling thread runs the others (collect.cpp says which and why); kInLine runs every plugin on the
// calling thread. The collection is the same either way (tests/facts/collect_beside_test.cpp).
enum class Turns { kBeside, kInLine };

// Plugins run in dependency order. A plugin that throws is recorded as an error run; its namespace is marked
// unknown with the error as the reason so rules that needed it report "unknown", and the run goes on.
// `absent`: namespaces whose plugin is missing or was refused -> why; each is marked unknown with that reason
// before any plugin runs, so rules (and plugins that build on it, as gpu on pci) say why instead of reading an
// absent fact as false.
// `beside`: a second view of the same host for the helper thread alone (RootedHostView::sibling; the caller adds
// what it read to host's list); without one the two threads take turns on `host` under a mutex.
Collection collect_facts(const HostView& host, std::vector<plugin::LoadedPlugin>& plugins,
                         const PluginOptions& options, const std::map<std::string, std::string>& absent = {},
                         Turns turns = Turns::kBeside, const HostView* beside = nullptr);

}  // namespace ptdoctor::engine
