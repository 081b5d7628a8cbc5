// The compiled rule cache: rules read from it are the rules the YAML gives, it is used only for the exact bytes
// it was built from, and a bad cache costs time, never rules.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <filesystem>
#include <fstream>

#include "rule_test_support.hpp"
#include "rules/rule_cache.hpp"
#include "rules/rule_loader.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

namespace fs = std::filesystem;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A copy of the shipped rules directory (top level only, as RuleSet::load lists it) in a temp tree.
std::string copy_shipped_rules(const TempTree& tree) {
  const std::string dir = tree.at("/rules");
  fs::create_directories(dir);
  std::error_code ec;
  for (const std::string& file : rules::rule_files_in(source_path("rules"), ec)) {
    fs::copy_file(file, dir + "/" + fs::path(file).filename().string());
  }
  return dir;
}

void write_cache(const std::string& dir) {
  auto cache = rules::compile_rule_cache(dir);
  ASSERT_TRUE(cache) << cache.error().message;
  std::ofstream(dir + "/" + rules::kRuleCacheName, std::ios::binary) << *cache;
}

Json all_described(const std::string& dir) {
  RuleSet set;
  for (const Error& error : set.load(dir)) ADD_FAILURE() << error.message;
  return set.describe_all();
}

TEST(RuleCache, EveryShippedRuleReadBackEqualsTheParsedOne) {
  std::error_code ec;
  const std::vector<std::string> files = rules::rule_files_in(source_path("rules"), ec);
  ASSERT_FALSE(ec);
  ASSERT_GE(files.size(), 8u);
  TempTree tree;
  const std::string dir = copy_shipped_rules(tree);
  write_cache(dir);
  const rules::RuleCache cache = rules::RuleCache::read(dir);
  EXPECT_EQ(cache.size(), files.size());
  std::size_t compared = 0;
  for (const std::string& file : files) {
    const std::string text = read_file(file);
    const rules::LoadedFile parsed = rules::load_rule_text(text, file, true);
    ASSERT_TRUE(parsed.problems.empty()) << file;
    std::optional<rules::LoadedFile> cached = cache.find(text, file);
    ASSERT_TRUE(cached) << file << " is not served from the cache";
    EXPECT_EQ(cached->data_file, parsed.data_file) << file;
    ASSERT_EQ(cached->rules.size(), parsed.rules.size()) << file;
    for (std::size_t i = 0; i < parsed.rules.size(); ++i) {
      const Rule& want = parsed.rules[i];
      const Rule& got = cached->rules[i];
      EXPECT_EQ(rules::rule_to_cache(got), rules::rule_to_cache(want)) << want.id;
      // The part rule_to_cache leaves to the reader: where the rule came from.
      EXPECT_EQ(got.source(), want.source()) << want.id;
      ++compared;
    }
  }
  EXPECT_GT(compared, 80u);
}

TEST(RuleCache, ADirectoryLoadsTheSameRulesWithAndWithoutItsCache) {
  TempTree with_cache, without_cache;
  const std::string cached_dir = copy_shipped_rules(with_cache);
  write_cache(cached_dir);
  const Json from_yaml = all_described(copy_shipped_rules(without_cache));
  Json from_cache = all_described(cached_dir);
  // describe() names the file each rule came from; the two copies live in different temp trees.
  ASSERT_EQ(from_cache.size(), from_yaml.size());
  for (std::size_t i = 0; i < from_yaml.size(); ++i) {
    Json want = from_yaml[i], got = from_cache[i];
    want.erase("source");
    got.erase("source");
    EXPECT_EQ(got, want);
  }
}

TEST(RuleCache, IsUsedOnlyForTheBytesItWasBuiltFrom) {
  TempTree tree;
  const std::string dir = tree.at("/rules");
  fs::create_directories(dir);
  const std::string file = dir + "/one.yaml";
  const std::string yaml = "kind: rules\nrules:\n  - id: t.one\n    title: From the YAML\n    severity: info\n"
                           "    check: true\n    message: {fail: x}\n";
  std::ofstream(file) << yaml;
  write_cache(dir);
  // A cache whose entry says something else than the YAML proves which of the two a load read.
  const std::string cache_path = dir + "/" + rules::kRuleCacheName;
  Json whole = Json::from_cbor(read_file(cache_path));
  ASSERT_EQ(whole["files"].size(), 1u);
  for (auto& [key, entry] : whole["files"].items()) entry["rules"][0]["title"] = "From the cache";
  const std::vector<std::uint8_t> cbor = Json::to_cbor(whole);
  std::ofstream(cache_path, std::ios::binary | std::ios::trunc) << std::string(cbor.begin(), cbor.end());

  RuleSet same;
  ASSERT_TRUE(same.load(dir).empty());
  EXPECT_EQ(same.describe("t.one")["title"], "From the cache");
  EXPECT_EQ(same.describe("t.one")["source"], file + ":3");

  std::string edited_yaml = yaml;
  edited_yaml.replace(edited_yaml.find("fail: x"), 7, "fail: y");
  std::ofstream(file, std::ios::trunc) << edited_yaml;
  RuleSet edited;
  ASSERT_TRUE(edited.load(dir).empty());
  EXPECT_EQ(edited.describe("t.one")["title"], "From the YAML");
  EXPECT_EQ(edited.describe("t.one")["message"]["fail"], "y");
}

TEST(RuleCache, ACorruptForeignOrHostileCacheFallsBackToTheYaml) {
  TempTree tree;
  const std::string dir = copy_shipped_rules(tree);
  const Json want = all_described(dir);
  const std::string cache_path = dir + "/" + rules::kRuleCacheName;
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"empty", ""},
      {"not CBOR", "kind: rules\n"},
      {"truncated", [&] {
         write_cache(dir);
         std::string whole = read_file(cache_path);
         return whole.substr(0, whole.size() / 2);
       }()},
      {"another format", [] {
         const std::vector<std::uint8_t> cbor = Json::to_cbor(Json{{"format", 999}, {"ptdoctor", "0"}, {"files", {}}});
         return std::string(cbor.begin(), cbor.end());
       }()},
      {"entries of the wrong shape", [&] {
         write_cache(dir);
         Json whole = Json::from_cbor(read_file(cache_path));
         for (auto& [hash, entry] : whole["files"].items()) entry["rules"] = Json::array({Json{{"id", 7}}});
         const std::vector<std::uint8_t> cbor = Json::to_cbor(whole);
         return std::string(cbor.begin(), cbor.end());
       }()},
  };
  for (const auto& [what, bytes] : bad) {
    std::ofstream(cache_path, std::ios::binary | std::ios::trunc) << bytes;
    EXPECT_EQ(all_described(dir), want) << what;
  }
  // Not a regular file: refused without reading (a FIFO would block).
  fs::remove(cache_path);
  fs::create_directory(cache_path);
  EXPECT_EQ(all_described(dir), want) << "a directory named rules.cache";
}

TEST(RuleCache, IsNotWrittenForRulesThatDoNotLoad) {
  TempTree tree;
  tree.write("/rules/bad.yaml", "kind: rules\nrules:\n  - id: Bad Id\n");
  auto cache = rules::compile_rule_cache(tree.at("/rules"));
  ASSERT_FALSE(cache);
  EXPECT_THAT(cache.error().message, ::testing::HasSubstr("bad.yaml"));
}

}  // namespace
}  // namespace ptdoctor::testing
