#include "world.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <exception>

#include "fix/planner.hpp"

namespace ptdoctor::testing {

World& world() {
  static World* loaded = [] {
    auto* w = new World;
    auto outcome = plugin::load_plugins({PTDOCTOR_STAGE_PLUGIN_DIR});
    w->plugins = std::move(outcome.plugins);
    for (const Error& error : outcome.problems) w->load_problems.push_back(error.message);
    for (const Error& error : w->rules.load(PTDOCTOR_STAGE_RULES_DIR)) w->load_problems.push_back(error.message);
    for (const Error& error : w->catalog.load_dir(PTDOCTOR_STAGE_FACTS_DIR)) w->load_problems.push_back(error.message);
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(PTDOCTOR_FIXTURE_HOSTS_DIR, ec)) {
      if (entry.is_directory()) w->fixtures.push_back(entry.path().filename().string());
    }
    std::sort(w->fixtures.begin(), w->fixtures.end());
    return w;
  }();
  return *loaded;
}

std::string fixture_root(const std::string& name) { return std::string(PTDOCTOR_FIXTURE_HOSTS_DIR) + "/" + name; }

std::string fixture_test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

engine::Collection collect(const HostView& host, const std::vector<std::string>& gpu,
                           const std::vector<std::string>& usb, engine::Turns turns, const HostView* beside) {
  PluginOptions options;
  if (!gpu.empty()) options["gpu"] = gpu;
  if (!usb.empty()) options["usb"] = usb;
  options["rules-dir"] = {PTDOCTOR_STAGE_RULES_DIR};
  return engine::collect_facts(host, world().plugins, options, {}, turns, beside);
}

std::string check_plan_fix(const FactStore& facts, const HostView& host, const fix::Choices& choices,
                           std::vector<RuleResult>* results_out, fix::Plan* plan_out) {
  std::string stage = "check";
  try {
    std::vector<RuleResult> results = world().rules.evaluate(facts);
    stage = "plan";
    auto plan = fix::make_plan(facts, host, choices, results);
    // The CLI turns kInvalidInput into a usage error naming the option; anything else would be exit 70.
    if (!plan) {
      return plan.error().kind == ErrorKind::kInvalidInput ? "" : "plan failed: " + plan.error().message;
    }
    stage = "fix (dry run)";
    std::string text = fix::render_plan_text(*plan);
    std::string json = fix::plan_to_json(*plan).dump();
    if (text.empty() || json.empty()) return "empty plan rendering";
    if (results_out != nullptr) *results_out = std::move(results);
    if (plan_out != nullptr) *plan_out = std::move(*plan);
  } catch (const std::exception& e) {
    return stage + " threw (the CLI would exit 70): " + e.what();
  }
  return "";
}

}  // namespace ptdoctor::testing
