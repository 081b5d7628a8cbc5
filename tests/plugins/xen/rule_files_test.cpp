// rules/kernel.yaml and rules/xen.yaml as data: well-formed per the rule language, and every fact they name is
// one the kernel and xen plugins really produce on some fixture host (a typo would make a rule silently unknown).
#include <map>
#include <regex>
#include <set>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "plugin_harness.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

const char* const kFiles[] = {"rules/kernel.yaml", "rules/xen.yaml"};
const char* const kHosts[] = {"guide-ich10", "intel-modern",    "amd-desktop",    "dual-gpu",
                              "xhci-only",   "ehci-keyboard",   "broken",         "x58-xen-default",
                              "xen-no-iommu", "vtx-off-wrapped", "pvh-only-kernel", "core2-no-hvm-paging",
                              "ryzen-x570-xen417"};
// Maps whose keys are data (option names, parameters): any key below them is a valid reference.
const char* const kOpenMaps[] = {"kernel.config.", "kernel.cmdline.params.", "kernel.cmdline.module_params.",
                                 "kernel.modprobe.softdeps.",
                                 "kernel.modprobe.options.", "xen.commandline_params."};

struct Reference {
  std::string rule;
  std::string path;
};

// $fact references in expressions (skipping names bound by some/every `as:`).
void expression_refs(const YAML::Node& node, const std::string& rule, std::set<std::string> bound,
                     std::vector<Reference>& out) {
  if (node.IsScalar()) {
    std::string text = node.as<std::string>();
    if (text.size() > 1 && text[0] == '$' && text[1] != '$') {
      std::string path = text.substr(1);
      if (!bound.count(path.substr(0, path.find('.')))) out.push_back({rule, path});
    }
  } else if (node.IsSequence()) {
    for (const auto& child : node) expression_refs(child, rule, bound, out);
  } else if (node.IsMap()) {
    if (node["as"]) bound.insert(node["as"].as<std::string>());
    for (const auto& entry : node) expression_refs(entry.second, rule, bound, out);
  }
}

// {fact.path} references in message and fix templates.
void template_refs(const YAML::Node& node, const std::string& rule, std::vector<Reference>& out) {
  static const std::regex kPlaceholder(R"(\{([a-z_][a-z0-9_]*(\.[A-Za-z0-9_]+)+)\})");
  if (node.IsScalar()) {
    std::string text = node.as<std::string>();
    for (std::sregex_iterator it(text.begin(), text.end(), kPlaceholder), end; it != end; ++it) {
      out.push_back({rule, (*it)[1]});
    }
  } else {
    for (const auto& child : node) template_refs(node.IsMap() ? child.second : child, rule, out);
  }
}

std::vector<engine::Collection>& fixture_collections() {
  static std::vector<engine::Collection> collections = [] {
    std::vector<engine::Collection> all;
    for (const char* host : kHosts) all.push_back(run_plugins({"kernel", "xen"}, fixture_host(host)));
    return all;
  }();
  return collections;
}

bool produced(std::string path) {
  for (const char* prefix : kOpenMaps) {
    std::string map(prefix);
    if (path.compare(0, map.size(), map) == 0) path = map.substr(0, map.size() - 1);
  }
  for (const auto& collection : fixture_collections()) {
    if (collection.facts.find(path) && !collection.facts.find(path)->is_null()) return true;
    if (collection.facts.unknown_reason(path)) return true;
  }
  return false;
}

TEST(RuleFiles, AreWellFormedRules) {
  std::set<std::string> ids;
  for (const char* file : kFiles) {
    YAML::Node root = YAML::LoadFile(source_path(file));
    EXPECT_EQ(root["kind"].as<std::string>(), "rules") << file;
    EXPECT_EQ(root["schema"].as<int>(), 1) << file;
    std::string topic = std::string(file).substr(6, std::string(file).find('.') - 6) + ".";
    ASSERT_TRUE(root["rules"].IsSequence()) << file;
    for (const auto& rule : root["rules"]) {
      std::string id = rule["id"].as<std::string>();
      EXPECT_TRUE(std::regex_match(id, std::regex("[a-z0-9][a-z0-9.-]*"))) << id;
      EXPECT_EQ(id.rfind(topic, 0), 0u) << id << " is not in " << topic;
      EXPECT_TRUE(ids.insert(id).second) << "duplicate id " << id;
      std::string severity = rule["severity"].as<std::string>();
      EXPECT_TRUE(severity == "blocker" || severity == "warning" || severity == "info") << id;
      EXPECT_TRUE(rule["title"] && !rule["title"].as<std::string>().empty()) << id;
      EXPECT_TRUE(rule["check"]) << id;
      EXPECT_TRUE(rule["message"]["fail"]) << id;
      EXPECT_TRUE(rule["refs"] && rule["refs"].size() > 0) << id;
      if (severity != "info") {
        EXPECT_TRUE(rule["why"]) << id << ": blockers and warnings say why";
        EXPECT_TRUE(rule["fix"] && rule["fix"].size() > 0) << id << ": blockers and warnings say how to fix";
      }
    }
  }
  EXPECT_GT(ids.size(), 40u);
}

TEST(RuleFiles, EveryFactTheyNameIsProducedByThePlugins) {
  std::vector<Reference> refs;
  for (const char* file : kFiles) {
    for (const auto& rule : YAML::LoadFile(source_path(file))["rules"]) {
      std::string id = rule["id"].as<std::string>();
      for (const char* key : {"when", "check", "for_each"}) {
        if (rule[key]) expression_refs(rule[key], id, {}, refs);
      }
      if (rule["message"]) template_refs(rule["message"], id, refs);
      if (rule["fix"]) template_refs(rule["fix"], id, refs);
    }
  }
  ASSERT_GT(refs.size(), 50u);
  for (const Reference& ref : refs) {
    EXPECT_TRUE(ref.path.rfind("kernel.", 0) == 0 || ref.path.rfind("xen.", 0) == 0)
        << ref.rule << " names " << ref.path << " outside kernel/xen";
    EXPECT_TRUE(produced(ref.path)) << ref.rule << " names " << ref.path << ", which no fixture host produces";
  }
}

TEST(RuleFiles, GuideObsoleteOptionsAreNeverWorseThanInfo) {
  std::map<std::string, std::string> severity;
  for (const auto& rule : YAML::LoadFile(source_path("rules/kernel.yaml"))["rules"]) {
    severity[rule["id"].as<std::string>()] = rule["severity"].as<std::string>();
  }
  for (const char* gone : {"xen-privileged-guest", "xen-tmem", "xen-selfballooning", "xen-max-domain-memory",
                           "xen-scrub-pages", "netxen-nic"}) {
    std::string id = std::string("kernel.guide-option.") + gone;
    ASSERT_TRUE(severity.count(id)) << id << " is gone from rules/kernel.yaml";  // a rename must not pass vacuously
    EXPECT_EQ(severity[id], "info") << id;
  }
}

}  // namespace
}  // namespace ptdoctor::testing
