// The compiled quirk list (plugins/gpu/quirk_cache.hpp): used only for the YAML it was built from, the same list
// as the YAML gives, and a cut, damaged or hostile cache falls back to the YAML without harm.
#include "quirk_cache.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "byte_codec.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::gpu {
namespace {

using testing::TempTree;

std::string shipped_yaml() {
  std::ifstream in(testing::source_path("rules/gpu-quirks.yaml"));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A list in the cache's own form, to compare lists field by field (regexes compare by their pattern).
std::string encoded(const QuirkDb& db) {
  auto cache = write_quirk_cache("", db);
  EXPECT_TRUE(cache) << cache.error().message;
  return cache ? *cache : "";
}

Json device(const char* vendor, const char* device_id, const char* cls, const char* name, const char* bdf) {
  return {{"bdf", bdf}, {"vendor_id", vendor}, {"device_id", device_id}, {"class", cls}, {"device_name", name}};
}

// What the plugin asks of a list: its matches for a spread of devices (AMD ranges, NVIDIA names, Intel on bus 0).
Json matches_of(const QuirkDb& db) {
  Json all = Json::array();
  for (const Json& d : {device("0x1002", "0x67df", "0x0300", "Ellesmere", "0000:03:00.0"),
                        device("0x1002", "0x6865", "0x0300", "Vega", "0000:03:00.0"),
                        device("0x10de", "0x1c03", "0x0300", "GP106 [GeForce GTX 1060 6GB]", "0000:01:00.0"),
                        device("0x10de", "0x1eb8", "0x0302", "TU104GL [Tesla T4]", "0000:01:00.0"),
                        device("0x8086", "0x3e92", "0x0300", "CoffeeLake-S GT2", "0000:00:02.0")}) {
    all.push_back(db.match(d));
  }
  return all;
}

TEST(QuirkCache, TheShippedListReadsBackAsTheYamlGivesIt) {
  const std::string yaml = shipped_yaml();
  auto parsed = QuirkDb::parse(yaml, "gpu-quirks.yaml");
  ASSERT_TRUE(parsed) << parsed.error().message;
  auto cache = write_quirk_cache(yaml, *parsed);
  ASSERT_TRUE(cache) << cache.error().message;
  std::optional<QuirkDb> cached = read_quirk_cache(*cache, yaml, "gpu-quirks.yaml");
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->size(), parsed->size());
  EXPECT_EQ(cached->origin(), "gpu-quirks.yaml");
  EXPECT_EQ(encoded(*cached), encoded(*parsed));
  EXPECT_EQ(matches_of(*cached), matches_of(*parsed));
  EXPECT_NE(matches_of(*cached)[2], Json::array());  // the GeForce pattern survived the trip
}

TEST(QuirkCache, TheStagedCacheIsUsedForTheStagedList) {
  auto db = QuirkDb::load({PTDOCTOR_STAGE_RULES_DIR});
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_TRUE(db->from_cache());
  auto parsed = QuirkDb::parse(shipped_yaml(), db->origin());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(encoded(*db), encoded(*parsed));
}

TEST(QuirkCache, AnEditedListIsReadAsYaml) {
  TempTree tree;
  const std::string yaml = shipped_yaml();
  auto cache = compile_quirk_cache(tree.write("/rules/gpu-quirks.yaml", yaml));
  ASSERT_TRUE(cache) << cache.error().message;
  tree.write("/rules/gpu-quirks.cache", *cache);
  auto same = QuirkDb::load({tree.at("/rules")});
  ASSERT_TRUE(same);
  EXPECT_TRUE(same->from_cache());

  // The same length, one letter changed: only the hash tells.
  std::string edited = yaml;
  const std::size_t at = edited.find("GeForce|TITAN");
  ASSERT_NE(at, std::string::npos);
  edited.replace(at, 7, "Quadro_");
  tree.write("/rules/gpu-quirks.yaml", edited);
  auto changed = QuirkDb::load({tree.at("/rules")});
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_FALSE(changed->from_cache());
  EXPECT_EQ(matches_of(*changed), matches_of(*QuirkDb::parse(edited, "x")));
  EXPECT_NE(matches_of(*changed), matches_of(*same));

  // An edit that breaks the list is reported as before, cache or not.
  tree.write("/rules/gpu-quirks.yaml", "kind: gpu-quirks\nquirks:\n  - id: x\n");
  EXPECT_FALSE(QuirkDb::load({tree.at("/rules")}));
}

TEST(QuirkCache, ACacheCutShortOrChangedAnywhereFallsBackToTheYaml) {
  const std::string yaml = shipped_yaml();
  auto parsed = QuirkDb::parse(yaml, "q");
  ASSERT_TRUE(parsed);
  const std::string cache = *write_quirk_cache(yaml, *parsed);
  for (std::size_t size = 0; size < cache.size(); ++size) {
    EXPECT_FALSE(read_quirk_cache(cache.substr(0, size), yaml, "q")) << "cut at " << size;
  }
  for (std::size_t at = 0; at < cache.size(); ++at) {
    std::string changed = cache;
    changed[at] = static_cast<char>(changed[at] ^ 0x01);
    EXPECT_FALSE(read_quirk_cache(changed, yaml, "q")) << "byte " << at;
  }
  EXPECT_FALSE(read_quirk_cache(seal_bytes(kQuirkCacheMagic, kQuirkCacheFormat + 1,
                                           cache.substr(kSealedHeaderSize)), yaml, "q"));
  // Through load(): a damaged cache beside the YAML gives the YAML's list.
  TempTree tree;
  tree.write("/rules/gpu-quirks.yaml", yaml);
  tree.write("/rules/gpu-quirks.cache", cache.substr(0, cache.size() / 2));
  auto db = QuirkDb::load({tree.at("/rules")});
  ASSERT_TRUE(db);
  EXPECT_FALSE(db->from_cache());
  EXPECT_EQ(encoded(*db), encoded(*parsed));
  tree.mkdir("/dir/gpu-quirks.cache");  // not a regular file
  tree.write("/dir/gpu-quirks.yaml", yaml);
  auto beside_dir = QuirkDb::load({tree.at("/dir")});
  ASSERT_TRUE(beside_dir);
  EXPECT_FALSE(beside_dir->from_cache());
}

TEST(QuirkCache, AResealedHostileCacheDecodesOnlyToWhatTheLoaderMakes) {
  const std::string yaml = shipped_yaml();
  auto parsed = QuirkDb::parse(yaml, "q");
  ASSERT_TRUE(parsed);
  const std::string payload = write_quirk_cache(yaml, *parsed)->substr(kSealedHeaderSize);
  std::size_t decoded = 0;
  for (std::size_t at = 0; at < payload.size(); ++at) {
    for (const unsigned char flip : {0x01, 0x80, 0xff}) {
      std::string hostile = payload;
      hostile[at] = static_cast<char>(static_cast<unsigned char>(hostile[at]) ^ flip);
      std::optional<QuirkDb> db = read_quirk_cache(seal_bytes(kQuirkCacheMagic, kQuirkCacheFormat, hostile), yaml, "q");
      if (!db) continue;
      ++decoded;
      for (const Quirk& quirk : db->quirks()) {
        EXPECT_TRUE(quirk.severity == "blocker" || quirk.severity == "warning" || quirk.severity == "info");
        EXPECT_LE(quirk.vendor.value_or(0), 0xffffu);
        for (const auto& [low, high] : quirk.device_ranges) EXPECT_LE(low, high);
        for (unsigned id : quirk.classes) EXPECT_LE(id, 0xffffu);
        EXPECT_EQ(quirk.name_pattern.has_value(), quirk.name_matches.has_value());
      }
      matches_of(*db);  // and it matches without harm
    }
  }
  // Changes inside a text (a title, an explanation) still decode; changes to the structure do not.
  EXPECT_GT(decoded, 0u);
  EXPECT_LT(decoded, 3 * payload.size());
}

}  // namespace
}  // namespace ptdoctor::gpu
