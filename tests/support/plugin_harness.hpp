#pragma once
// Runs staged plugins (built into the stage plugin directory) against a host root, as the CLI would, for tests.
#include <string>
#include <vector>

#include "engine/collect.hpp"
#include "ptdoctor/plugin_api.hpp"

namespace ptdoctor::testing {

// Loads ptdoctor-<name>.so for each name and runs them (in dependency order) on the root. Fails the calling test
// (ADD_FAILURE) when a plugin cannot be loaded. Options are passed to every plugin as given; "rules-dir" defaults
// to the staged rules directory.
engine::Collection run_plugins(const std::vector<std::string>& names, const std::string& root,
                               PluginOptions options = {});

// Convenience: the fact at a dotted path, or null when absent.
Json fact(const engine::Collection& collection, const std::string& path);

}  // namespace ptdoctor::testing
