#include "plugin_harness.hpp"

#include <gtest/gtest.h>

#include "host/rooted_host_view.hpp"

namespace ptdoctor::testing {

engine::Collection run_plugins(const std::vector<std::string>& names, const std::string& root,
                               PluginOptions options) {
  std::vector<plugin::LoadedPlugin> plugins;
  for (const std::string& name : names) {
    auto loaded = plugin::load_plugin_file(std::string(PTDOCTOR_TEST_PLUGIN_DIR) + "/ptdoctor-" + name + ".so");
    if (!loaded) {
      ADD_FAILURE() << "cannot load plugin " << name << ": " << loaded.error().message;
      continue;
    }
    plugins.push_back(std::move(loaded.value()));
  }
  if (!options.count("rules-dir")) options["rules-dir"] = {PTDOCTOR_TEST_RULES_DIR};
  host::HostViewOptions view_options;
  view_options.live = false;  // tests never run commands or read CPUID of the machine they run on
  auto view = host::RootedHostView::open(root, view_options);
  if (!view) {
    ADD_FAILURE() << "cannot open root " << root << ": " << view.error().message;
    return {};
  }
  return engine::collect_facts(**view, plugins, options);
}

Json fact(const engine::Collection& collection, const std::string& path) {
  const Json* value = collection.facts.find(path);
  if (value == nullptr && !collection.facts.unknown_reason(path)) {
    ADD_FAILURE() << "fact " << path << " was never produced (and nothing says why it is unknown)";
  }
  return value ? *value : Json();
}

::testing::AssertionResult unknown_with_reason(const engine::Collection& collection, const std::string& path) {
  const Json* value = collection.facts.find(path);
  if (value != nullptr && !value->is_null()) {
    return ::testing::AssertionFailure() << path << " is known: " << value->dump();
  }
  auto reason = collection.facts.unknown_reason(path);
  if (!reason) {
    return ::testing::AssertionFailure() << path << (value ? " is null" : " was never produced")
                                         << " without an unknown reason";
  }
  if (reason->empty()) return ::testing::AssertionFailure() << path << " is unknown with an empty reason";
  return ::testing::AssertionSuccess() << path << " is unknown: " << *reason;
}

::testing::AssertionResult never_produced(const engine::Collection& collection, const std::string& path) {
  if (const Json* value = collection.facts.find(path)) {
    return ::testing::AssertionFailure() << path << " was produced: " << value->dump();
  }
  if (auto reason = collection.facts.unknown_reason(path)) {
    return ::testing::AssertionFailure() << path << " is unknown: " << *reason;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace ptdoctor::testing
