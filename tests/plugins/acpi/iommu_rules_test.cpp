// rules/iommu.yaml: structure every rule author must follow, and that every acpi fact a rule names is one the
// plugin actually produces (a typo would make a rule "unknown" forever). Evaluation itself is the rule engine's
// test suite.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <functional>
#include <regex>
#include <set>

#include "plugin_harness.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::acpi {
namespace {

using ptdoctor::testing::fixture_host;
using ptdoctor::testing::run_plugins;

YAML::Node load_rules() { return YAML::LoadFile(PTDOCTOR_IOMMU_RULES); }

// Every "$ns.path" reference in expressions and every "{ns.path}" in message templates.
std::set<std::string> fact_references(const YAML::Node& rule) {
  std::set<std::string> refs;
  const std::regex templated(R"(\{([a-z_]+(\.[a-z0-9_]+)+)\})");
  std::function<void(const YAML::Node&)> walk = [&](const YAML::Node& node) {
    if (node.IsScalar()) {
      const std::string text = node.as<std::string>();
      if (text.size() > 1 && text[0] == '$' && text[1] != '$') refs.insert(text.substr(1));
      for (std::sregex_iterator it(text.begin(), text.end(), templated), end; it != end; ++it) refs.insert((*it)[1]);
    } else if (node.IsSequence()) {
      for (const auto& item : node) walk(item);
    } else if (node.IsMap()) {
      for (const auto& item : node) walk(item.second);
    }
  };
  for (const char* key : {"when", "check", "message", "subject"}) {
    if (rule[key]) walk(rule[key]);
  }
  return refs;
}

TEST(IommuRules, EveryRuleIsComplete) {
  const YAML::Node file = load_rules();
  EXPECT_EQ(file["kind"].as<std::string>(), "rules");
  EXPECT_EQ(file["schema"].as<int>(), 1);
  std::set<std::string> ids;
  ASSERT_GE(file["rules"].size(), 6u);
  for (const auto& rule : file["rules"]) {
    const std::string id = rule["id"].as<std::string>();
    SCOPED_TRACE(id);
    EXPECT_TRUE(std::regex_match(id, std::regex("iommu\\.[a-z0-9][a-z0-9.-]*")));
    EXPECT_TRUE(ids.insert(id).second) << "duplicate id";
    const std::string severity = rule["severity"].as<std::string>();
    EXPECT_THAT(severity, ::testing::AnyOf("blocker", "warning", "info"));
    EXPECT_TRUE(rule["title"] && rule["check"] && rule["message"]["fail"]);
    if (severity != "info") {
      EXPECT_FALSE(rule["why"].as<std::string>("").empty());
    }
    EXPECT_GE(rule["fix"].size(), 1u);
    EXPECT_GE(rule["refs"].size(), 1u);
  }
}

TEST(IommuRules, AcpiFactsNamedByRulesExist) {
  // Between them these hosts produce every acpi fact the rules read.
  const auto intel = run_plugins({"acpi"}, fixture_host("intel-modern"));
  const auto amd = run_plugins({"acpi"}, fixture_host("amd-desktop"));
  for (const auto& rule : load_rules()["rules"]) {
    for (const std::string& ref : fact_references(rule)) {
      SCOPED_TRACE(rule["id"].as<std::string>() + " reads " + ref);
      if (ref.rfind("acpi.", 0) == 0) {
        EXPECT_TRUE(intel.facts.find(ref) != nullptr || amd.facts.find(ref) != nullptr);
      } else {
        EXPECT_THAT(ref, ::testing::AnyOf(::testing::StartsWith("cpu.hypervisor."), "kernel.xen_dom0"));
      }
    }
  }
}

TEST(IommuRules, GuestAndUnknownMessagesSayTheRightThing) {
  for (const auto& rule : load_rules()["rules"]) {
    const std::string id = rule["id"].as<std::string>();
    SCOPED_TRACE(id);
    YAML::Emitter out;
    out << rule;
    std::string text = out.c_str();
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    // REFERENCE §10: peers tell people in a VM to buy new hardware; the fix there is elsewhere.
    EXPECT_EQ(text.find("new hardware"), std::string::npos);
    EXPECT_EQ(text.find("buy"), std::string::npos);
    // "Run as root" only where root is the cause: the acpi plugin's reason, which follows the message, says it
    // for tables only root can read; the rule's own words must not, since an offline tree or a missing CPUID
    // capture makes these unknown too.
    if (id == "iommu.firmware-table" || id == "iommu.guest-viommu") {
      EXPECT_THAT(rule["message"]["unknown"].as<std::string>(), ::testing::Not(::testing::HasSubstr("root")));
    }
  }
}

}  // namespace
}  // namespace ptdoctor::acpi
