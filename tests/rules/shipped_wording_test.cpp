// What the shipped rules say when they do not apply or are about one device (UX review findings 29 and 31): a skip
// says in words why the rule does not apply here, never "the rule's `when` condition is false", and a rule about the
// target GPU names it as its subject, so a JSON reader finds every result about 0000:03:00.0 by subject.
#include <filesystem>
#include <sstream>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> shipped_rule_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(source_path("rules"))) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Every rule of every shipped rules file.
std::vector<YAML::Node> shipped_rules() {
  std::vector<YAML::Node> rules;
  for (const fs::path& file : shipped_rule_files()) {
    YAML::Node document = YAML::LoadFile(file.string());
    if (!document["kind"] || document["kind"].as<std::string>() != "rules") continue;
    for (const YAML::Node& rule : document["rules"]) rules.push_back(rule);
  }
  return rules;
}

std::string flow(const YAML::Node& node) {
  YAML::Emitter out;
  out << YAML::Flow << node;
  return out.c_str();
}

TEST(ShippedRules, EveryRuleWithAPreconditionSaysWhyItWasSkipped) {
  std::vector<YAML::Node> rules = shipped_rules();
  ASSERT_GE(rules.size(), 100u);
  int with_when = 0;
  for (const YAML::Node& rule : rules) {
    if (!rule["when"]) continue;
    ++with_when;
    const YAML::Node skip = rule["message"] ? rule["message"]["skip"] : YAML::Node();
    EXPECT_TRUE(skip && !skip.as<std::string>().empty())
        << rule["id"].as<std::string>() << " has `when: " << flow(rule["when"])
        << "` but no message.skip: its skip would not say why it does not apply";
  }
  EXPECT_GE(with_when, 70);
}

TEST(ShippedRules, EveryRuleAboutTheTargetGpuNamesItAsSubject) {
  int about_target = 0;
  for (const YAML::Node& rule : shipped_rules()) {
    const std::string id = rule["id"].as<std::string>();
    if (id.rfind("gpu.", 0) != 0 || rule["for_each"] || !rule["when"]) continue;
    if (flow(rule["when"]).find("$gpu.target") == std::string::npos) continue;
    ++about_target;
    ASSERT_TRUE(rule["subject"]) << id << " is about the target GPU but has no subject";
    EXPECT_EQ(rule["subject"].as<std::string>(), "{gpu.target}") << id;
  }
  EXPECT_GE(about_target, 12);
}

}  // namespace
}  // namespace ptdoctor::testing
