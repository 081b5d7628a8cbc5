// Unknown injection, generated from the declarations (not hand-picked): for every fixture host and every declared
// fact, the fact is made unknown, and separately given a value of the wrong type, and then check, plan and fix (dry
// run) run in-process. Nothing may throw (the CLI's exit 70), no rule may error on an unknown fact, and every
// unknown result says why.
#include <gtest/gtest.h>

#include <cctype>
#include <optional>

#include "host/rooted_host_view.hpp"
#include "world.hpp"

namespace ptdoctor::testing {
namespace {

using facts::FactDecl;
using facts::FactType;

// "usb.controllers[].bdf" -> {"usb", "controllers", "[]", "bdf"}; "kernel.config.*" -> {"kernel", "config", "*"}.
std::vector<std::string> segments(const std::string& canonical) {
  std::vector<std::string> out;
  for (const std::string& part : split_fact_path(canonical)) {
    if (part.size() > 2 && part.compare(part.size() - 2, 2, "[]") == 0) {
      out.push_back(part.substr(0, part.size() - 2));
      out.push_back("[]");
    } else {
      out.push_back(part);
    }
  }
  return out;
}

// Replaces every instance of the declared path below `node` (segments from `i`), recording the concrete paths.
void replace(Json& node, const std::vector<std::string>& segs, std::size_t i, const std::string& shown,
             const Json& value, std::vector<std::string>& touched) {
  if (i == segs.size()) {
    node = value;
    touched.push_back(shown);
    return;
  }
  const std::string& seg = segs[i];
  if (seg == "[]") {
    if (!node.is_array()) return;
    for (std::size_t k = 0; k < node.size(); ++k) replace(node[k], segs, i + 1, shown + "." + std::to_string(k), value, touched);
  } else if (seg == "*") {
    if (!node.is_object()) return;
    for (auto& [key, member] : node.items()) replace(member, segs, i + 1, shown + "." + key, value, touched);
  } else if (node.is_object() && (node.contains(seg) || i + 1 == segs.size())) {
    replace(node[seg], segs, i + 1, shown + "." + seg, value, touched);
  }
}

// A value no reader of a fact of this type expects (nullopt for `any`, which has no wrong type).
std::optional<Json> wrong_value(FactType type) {
  switch (type) {
    case FactType::kBoolean: return Json("yes");
    case FactType::kInteger:
    case FactType::kNumber: return Json("12");
    case FactType::kString: return Json(42);
    case FactType::kList: return Json{{"not", "a list"}};
    case FactType::kMap: return Json::array({1, "two"});
    case FactType::kAny: return std::nullopt;
  }
  return std::nullopt;
}

// The base facts with one declared fact replaced everywhere it occurs; false when it occurs nowhere here.
bool inject(const FactStore& base, const FactDecl& decl, const Json& value, bool unknown, FactStore& out) {
  std::vector<std::string> segs = segments(decl.path);
  const std::string top = segs[0] + "." + segs[1];
  const Json* current = base.find(top);
  Json replaced = current != nullptr ? *current : Json();
  std::vector<std::string> touched;
  replace(replaced, segs, 2, top, value, touched);
  if (touched.empty()) return false;
  out = base;
  out.set(top, replaced, "injected");
  for (const std::string& path : touched) {
    if (unknown) out.set_unknown(path, "injected: " + decl.path + " made unknown by the test");
  }
  return true;
}

class UnknownInjection : public ::testing::TestWithParam<std::string> {};

TEST_P(UnknownInjection, EveryDeclaredFactUnknownOrWrongTypedNeverCrashesCheckPlanOrFix) {
  World& w = world();
  ASSERT_FALSE(w.catalog.empty()) << "no fact declarations staged in " << PTDOCTOR_STAGE_FACTS_DIR;
  auto host = host::RootedHostView::open(fixture_root(GetParam()), host::HostViewOptions{});
  ASSERT_TRUE(host) << host.error().message;
  engine::Collection base = collect(**host);
  fix::Choices choices;
  choices.name = "win";
  choices.disks = {"phy:/dev/vg/win,hda,w"};
  choices.seed = 1;
  std::size_t runs = 0;
  for (const FactDecl& decl : w.catalog.all()) {
    for (bool unknown : {true, false}) {
      std::optional<Json> value = unknown ? std::optional<Json>(Json()) : wrong_value(decl.type);
      if (!value) continue;
      FactStore facts;
      if (!inject(base.facts, decl, *value, unknown, facts)) continue;
      ++runs;
      const std::string what = decl.path + (unknown ? " unknown" : " = " + value->dump());
      std::vector<RuleResult> results;
      std::string broken = check_plan_fix(facts, **host, choices, &results);
      EXPECT_EQ(broken, "") << GetParam() << ": " << what;
      if (!unknown) continue;
      for (const RuleResult& result : results) {
        // An unknown fact is normal input: the rule says unknown (or decides without it), never "error".
        EXPECT_NE(result.status, RuleStatus::kError)
            << GetParam() << ": " << what << ": rule " << result.rule_id << " errors: " << result.message;
        if (result.status == RuleStatus::kUnknown) {
          EXPECT_FALSE(result.message.empty()) << GetParam() << ": " << what << ": " << result.rule_id;
        }
      }
    }
  }
  EXPECT_GT(runs, 50u) << "too few declared facts occur on " << GetParam();
}

INSTANTIATE_TEST_SUITE_P(EveryFixtureHost, UnknownInjection, ::testing::ValuesIn(world().fixtures),
                         fixture_test_name);

}  // namespace
}  // namespace ptdoctor::testing
