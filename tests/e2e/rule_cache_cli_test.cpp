// The installed rules come from the compiled rule cache (core/rules/rule_cache.hpp): on every fixture host the
// report must be the one the YAML alone gives, byte for byte but for the time of the run and the rules' paths.
#include <gtest/gtest.h>

#include <filesystem>

#include "e2e_util.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

namespace fs = std::filesystem;

// The report with what legitimately differs between the two runs blanked: when it ran, how long plugins took,
// and the directory the rules were read from.
Json comparable(Json value, const std::string& rules_dir) {
  if (value.is_object()) {
    for (auto& [key, item] : value.items()) {
      if (key == "generated_at" || key == "milliseconds") {
        item = "<varies>";
      } else {
        item = comparable(item, rules_dir);
      }
    }
  } else if (value.is_array()) {
    for (Json& item : value) item = comparable(item, rules_dir);
  } else if (value.is_string()) {
    std::string text = value.get<std::string>();
    for (std::size_t at; (at = text.find(rules_dir)) != std::string::npos;) text.replace(at, rules_dir.size(), "<RULES>");
    value = text;
  }
  return value;
}

TEST(RuleCacheCli, EveryFixtureHostIsJudgedAsTheYamlAloneJudgesIt) {
  const std::string staged = PTDOCTOR_TEST_RULES_DIR;
  ASSERT_TRUE(fs::is_regular_file(staged + "/rules.cache")) << "the build did not write the compiled rule cache";
  TempTree tree;
  const std::string yaml_only = tree.at("/rules");
  fs::create_directories(yaml_only);
  for (const auto& entry : fs::directory_iterator(staged)) {
    if (entry.path().extension() == ".yaml") fs::copy_file(entry.path(), yaml_only + "/" + entry.path().filename().string());
  }
  std::size_t hosts = 0;
  for (const auto& host : fs::directory_iterator(PTDOCTOR_TEST_FIXTURE_HOSTS_DIR)) {
    if (!host.is_directory()) continue;
    const std::string root = host.path().string();
    const Json cached = check_json({"--root", root});
    const Json parsed = check_json({"--root", root, "--no-default-rules", "--rules", yaml_only});
    ASSERT_TRUE(cached.contains("results")) << root;
    EXPECT_EQ(comparable(cached, staged), comparable(parsed, yaml_only)) << root;
    ++hosts;
  }
  EXPECT_GE(hosts, 20u);
}

}  // namespace
}  // namespace ptdoctor::testing
