#pragma once
// What the fact tests share, loaded once per test binary: the staged plugins, rules and fact declarations, and the
// facts of every generated fixture host. Loading once keeps the injection runs in CI's budget.
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/collect.hpp"
#include "facts/fact_catalog.hpp"
#include "fix/choices.hpp"
#include "fix/plan.hpp"
#include "plugin/plugin_loader.hpp"
#include "ptdoctor/host_view.hpp"
#include "ptdoctor/rules.hpp"

namespace ptdoctor::testing {

struct World {
  std::vector<plugin::LoadedPlugin> plugins;
  RuleSet rules;
  facts::FactCatalog catalog;
  std::vector<std::string> load_problems;
  std::vector<std::string> fixtures;  // names of the generated fixture hosts, sorted
};

World& world();
std::string fixture_root(const std::string& name);
// A fixture name as a GoogleTest parameter name ("guide-ich10" -> "guide_ich10").
std::string fixture_test_name(const ::testing::TestParamInfo<std::string>& info);
// All plugins on a root with the CLI's options (--gpu, --usb, rules-dir); `beside`: the helper thread's own view.
engine::Collection collect(const HostView& host, const std::vector<std::string>& gpu = {},
                           const std::vector<std::string>& usb = {}, engine::Turns turns = engine::Turns::kBeside,
                           const HostView* beside = nullptr);

// What `plan` and `fix` (dry run) do after collecting: rules, plan, both renderings. Returns "" when all went well,
// else what broke (an exception is a crash: exit 70 from the CLI; so is a plan error that is not the user's input).
std::string check_plan_fix(const FactStore& facts, const HostView& host, const fix::Choices& choices,
                           std::vector<RuleResult>* results = nullptr, fix::Plan* plan = nullptr);

}  // namespace ptdoctor::testing
