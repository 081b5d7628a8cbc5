// The compiled rule cache: rules read from it are the rules the YAML gives, it is used only for the exact bytes
// it was built from, and a bad cache costs time, never rules.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "ptdoctor/config.hpp"
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
      EXPECT_EQ(rules::encode_rule(got), rules::encode_rule(want)) << want.id;
      // The part encode_rule leaves to the reader: where the rule came from.
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
  // A cache whose entry says something else than the YAML proves which of the two a load read: the rules of
  // another text, keyed by this file's bytes.
  std::string other_yaml = yaml;
  other_yaml.replace(other_yaml.find("From the YAML"), 13, "From the cache");
  const rules::LoadedFile other = rules::load_rule_text(other_yaml, file, true);
  ASSERT_TRUE(other.problems.empty());
  auto cache = rules::write_rule_cache({{file, yaml, &other}});
  ASSERT_TRUE(cache) << cache.error().message;
  std::ofstream(dir + "/" + rules::kRuleCacheName, std::ios::binary) << *cache;

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
      {"another format", [&] {
         write_cache(dir);
         std::string whole = read_file(cache_path);
         whole[8] = static_cast<char>(whole[8] + 1);  // the format number, after the 8-byte magic
         return whole;
       }()},
      {"another ptdoctor version", [&] {
         write_cache(dir);
         std::string payload = read_file(cache_path).substr(rules::kRuleCacheHeaderSize);
         const std::size_t version = payload.find(config::kVersion);
         payload.replace(version, 1, "9");
         return rules::seal_rule_cache(payload);
       }()},
      {"one byte changed", [&] {
         write_cache(dir);
         std::string whole = read_file(cache_path);
         whole[whole.size() / 2] = static_cast<char>(whole[whole.size() / 2] ^ 0x20);
         return whole;
       }()},
      {"entries of the wrong shape, with a checksum that matches", [&] {
         write_cache(dir);
         std::string payload = read_file(cache_path).substr(rules::kRuleCacheHeaderSize);
         // Every entry's bytes reversed past the index: no entry decodes.
         std::reverse(payload.begin() + static_cast<std::ptrdiff_t>(payload.size() / 2), payload.end());
         return rules::seal_rule_cache(payload);
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

// A one-rule directory and its cache, for the tests that try every byte.
struct SmallCache {
  std::string file, yaml, cache;
};

SmallCache small_cache(const TempTree& tree) {
  SmallCache small;
  small.file = tree.at("/one.yaml");
  small.yaml = "kind: rules\nrules:\n  - id: t.one\n    title: One\n    severity: info\n"
               "    check: {matches: [$cpu.brand, 'Xeon|EPYC']}\n    message: {fail: '{cpu.brand} is no server'}\n";
  const rules::LoadedFile loaded = rules::load_rule_text(small.yaml, small.file, true);
  EXPECT_TRUE(loaded.problems.empty());
  auto cache = rules::write_rule_cache({{small.file, small.yaml, &loaded}});
  EXPECT_TRUE(cache) << cache.error().message;
  small.cache = cache ? *cache : "";
  return small;
}

TEST(RuleCache, ACacheCutShortAnywhereIsNoCache) {
  TempTree tree;
  const SmallCache small = small_cache(tree);
  ASSERT_EQ(rules::RuleCache::parse(small.cache).size(), 1u);
  ASSERT_TRUE(rules::RuleCache::parse(small.cache).find(small.yaml, small.file));
  const std::string payload = small.cache.substr(rules::kRuleCacheHeaderSize);
  for (std::size_t size = 0; size < small.cache.size(); ++size) {
    EXPECT_EQ(rules::RuleCache::parse(small.cache.substr(0, size)).size(), 0u) << "cut at " << size;
  }
  // Cut short and sealed again, so that the header matches: the index or the entry no longer adds up.
  for (std::size_t size = 0; size < payload.size(); ++size) {
    const rules::RuleCache cut = rules::RuleCache::parse(rules::seal_rule_cache(payload.substr(0, size)));
    EXPECT_FALSE(cut.find(small.yaml, small.file)) << "payload cut at " << size;
  }
  // The shipped rules' cache, too (its header alone tells; decoding it at every length would take minutes).
  const std::string dir = copy_shipped_rules(tree);
  write_cache(dir);
  const std::string shipped = read_file(dir + "/" + rules::kRuleCacheName);
  for (std::size_t size = 0; size < shipped.size(); ++size) {
    if (rules::RuleCache::parse(shipped.substr(0, size)).size() != 0) ADD_FAILURE() << "shipped cache cut at " << size;
  }
}

TEST(RuleCache, AnyChangedByteIsNoCacheAndAnyResealedOneNoCrash) {
  TempTree tree;
  const SmallCache small = small_cache(tree);
  const std::string payload = small.cache.substr(rules::kRuleCacheHeaderSize);
  std::size_t decoded = 0;
  for (std::size_t at = 0; at < small.cache.size(); ++at) {
    for (const unsigned char flip : {0x01, 0x80, 0xff}) {
      std::string changed = small.cache;
      changed[at] = static_cast<char>(static_cast<unsigned char>(changed[at]) ^ flip);
      EXPECT_EQ(rules::RuleCache::parse(changed).size(), 0u) << "byte " << at << " ^ " << int{flip};
      if (at < rules::kRuleCacheHeaderSize) continue;
      // A hostile cache has a checksum that matches: whatever it decodes to, it decodes without harm.
      std::string hostile = payload;
      hostile[at - rules::kRuleCacheHeaderSize] = changed[at];
      if (rules::RuleCache::parse(rules::seal_rule_cache(hostile)).find(small.yaml, small.file)) ++decoded;
    }
  }
  // Changes inside a string (the title, the pattern's text) still decode; changes to the structure do not.
  EXPECT_GT(decoded, 0u);
  EXPECT_LT(decoded, 3 * payload.size());
}

// A rule whose check is `not` nested `depth` times around a literal list nested `list_depth` times.
Rule nested_rule(int depth, int list_depth) {
  Rule rule;
  rule.id = "t.deep";
  rule.check.kind = rules::Expr::Kind::kLiteral;
  for (int i = 0; i < list_depth; ++i) {
    Json outer = Json::array();
    outer.push_back(std::move(rule.check.literal));
    rule.check.literal = std::move(outer);
  }
  for (int i = 0; i < depth; ++i) {
    rules::Expr outer;
    outer.kind = rules::Expr::Kind::kOp;
    outer.op = rules::Op::kNot;
    outer.name = "not";
    outer.args.push_back(std::move(rule.check));
    rule.check = std::move(outer);
  }
  return rule;
}

std::optional<rules::LoadedFile> one_rule_entry(const Rule& rule) {
  return rules::decode_rule_entry(std::string("\x00\x01", 2) + rules::encode_rule(rule), "deep.yaml");
}

TEST(RuleCache, HostileNestingIsRefusedNotFollowed) {
  // As deep as the YAML loader allows (64): read back.
  EXPECT_TRUE(one_rule_entry(nested_rule(64, 0)));
  EXPECT_TRUE(one_rule_entry(nested_rule(0, 64)));
  // Far deeper, as only a forged cache holds: refused after kMaxDepth levels, not followed to the end.
  EXPECT_FALSE(one_rule_entry(nested_rule(5000, 0)));
  EXPECT_FALSE(one_rule_entry(nested_rule(0, 5000)));
}

TEST(RuleCache, AnOperatorWithoutItsOperandsIsRefused) {
  // The evaluator reads a pair operator's two operands without asking: an entry with fewer is no rule.
  Rule rule = nested_rule(0, 0);
  rule.check.kind = rules::Expr::Kind::kOp;
  rule.check.op = rules::Op::kEquals;
  rule.check.name = "equals";
  EXPECT_FALSE(one_rule_entry(rule));
  rule.check.args.resize(2);
  EXPECT_TRUE(one_rule_entry(rule));
  rule.check.name = "matches";  // whose pattern must be a compiled literal
  EXPECT_FALSE(one_rule_entry(rule));
  rule.check.name = "no_such_operator";
  EXPECT_FALSE(one_rule_entry(rule));
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
