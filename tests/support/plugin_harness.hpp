#pragma once
// Runs staged plugins (built into the stage plugin directory) against a host root, as the CLI would, for tests.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/collect.hpp"
#include "ptdoctor/plugin_api.hpp"

namespace ptdoctor::testing {

// Loads ptdoctor-<name>.so for each name and runs them (in dependency order) on the root. Fails the calling test
// (ADD_FAILURE) when a plugin cannot be loaded. Options are passed to every plugin as given; "rules-dir" defaults
// to the staged rules directory.
engine::Collection run_plugins(const std::vector<std::string>& names, const std::string& root,
                               PluginOptions options = {});

// The fact at a dotted path. Null when the plugin wrote null or marked it (or an ancestor) unknown; a path the
// plugins never produced and no unknown reason covers fails the calling test, so a renamed or dropped fact cannot
// pass for "unknown". Assert absence on purpose with never_produced().
Json fact(const engine::Collection& collection, const std::string& path);

// "Honestly unknown": null or absent, with the reason a plugin gave (on the path or an ancestor).
::testing::AssertionResult unknown_with_reason(const engine::Collection& collection, const std::string& path);
// Not produced at all, and not unknown either.
::testing::AssertionResult never_produced(const engine::Collection& collection, const std::string& path);

}  // namespace ptdoctor::testing
