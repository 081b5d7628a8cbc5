// Json's objects are JsonObjectMap, a sorted vector standing in for std::map. Every report and `facts` prints
// objects in their map's order, so the map must keep std::map's order and answers exactly; nlohmann::json (whose
// objects are std::map) is the oracle here.
#include "ptdoctor/json.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace ptdoctor {
namespace {

using Map = Json::object_t;
using Oracle = std::map<std::string, int>;

std::string random_key(std::mt19937& random) {
  // Short keys from a small alphabet collide often; long ones leave the small-string buffer.
  static const std::vector<std::string> kParts = {"a", "b", "ab", "_", "A", "z", "0", "very_long_key_part_"};
  std::string key;
  const int parts = static_cast<int>(random() % 4);
  for (int i = 0; i < parts; ++i) key += kParts[random() % kParts.size()];
  return key;
}

std::vector<std::pair<std::string, int>> members_of(const Map& map) {
  std::vector<std::pair<std::string, int>> out;
  for (const auto& [key, value] : map) out.emplace_back(key, value.get<int>());
  return out;
}

std::vector<std::pair<std::string, int>> members_of(const Oracle& map) { return {map.begin(), map.end()}; }

TEST(JsonObjectMap, RandomInsertsFindsAndErasesAnswerAsStdMap) {
  std::mt19937 random(12);
  for (int round = 0; round < 200; ++round) {
    Map map;
    Oracle oracle;
    for (int step = 0; step < 60; ++step) {
      const std::string key = random_key(random);
      const int value = static_cast<int>(random() % 1000);
      switch (random() % 6) {
        case 0: {
          auto [it, inserted] = map.emplace(key, value);
          auto [oracle_it, oracle_inserted] = oracle.emplace(key, value);
          ASSERT_EQ(inserted, oracle_inserted) << key;
          ASSERT_EQ(it->second.get<int>(), oracle_it->second) << key;
          break;
        }
        case 1:
          map[key] = value;
          oracle[key] = value;
          break;
        case 2:
          ASSERT_EQ(map.erase(key), oracle.erase(key)) << key;
          break;
        case 3:
          ASSERT_EQ(map.count(key), oracle.count(key)) << key;
          ASSERT_EQ(map.find(key) == map.end(), oracle.find(key) == oracle.end()) << key;
          break;
        case 4: {
          auto it = map.emplace_hint(map.end(), key, value);
          oracle.emplace_hint(oracle.end(), key, value);
          ASSERT_EQ(it->first, key);
          break;
        }
        default:
          if (!oracle.empty()) {
            auto next = map.erase(map.begin());
            auto oracle_next = oracle.erase(oracle.begin());
            ASSERT_EQ(next == map.end(), oracle_next == oracle.end());
            if (next != map.end()) {
              ASSERT_EQ(next->first, oracle_next->first);
            }
          }
      }
      ASSERT_EQ(members_of(map), members_of(oracle)) << "round " << round << " step " << step;
    }
  }
}

TEST(JsonObjectMap, LookupsTakeAStringViewWithoutMakingAKey) {
  Map map;
  map.emplace("bdf", 1);
  map.emplace("class", 2);
  const std::string_view wanted = "class";
  ASSERT_NE(map.find(wanted), map.end());
  EXPECT_EQ(map.find(wanted)->second, 2);
  EXPECT_EQ(map.find(std::string_view("clas")), map.end());
  EXPECT_EQ(map.at(wanted), 2);
  EXPECT_THROW(map.at(std::string_view("missing")), std::out_of_range);
}

TEST(JsonObjectMap, FromMembersSortsAndKeepsTheFirstOfEqualKeys) {
  // As std::map's range constructor: of equal keys the first given is kept.
  Map::Container members = {{"b", 1}, {"a", 2}, {"b", 3}, {"c", 4}, {"a", 5}};
  const Map map = Map::from_members(members);
  ASSERT_EQ(members_of(map), (std::vector<std::pair<std::string, int>>{{"a", 2}, {"b", 1}, {"c", 4}}));
  const std::vector<std::pair<const std::string, int>> unsorted = {{"z", 1}, {"y", 2}, {"z", 3}};
  const Map ranged(unsorted.begin(), unsorted.end());
  EXPECT_EQ(members_of(ranged), (std::vector<std::pair<std::string, int>>{{"y", 2}, {"z", 1}}));
}

// A document printed by Json and by nlohmann::json (std::map objects) must be the same bytes, whatever order the
// members were added in and however the document was built.
TEST(JsonObjectMap, JsonPrintsAndComparesAsNlohmannJsonDoes) {
  std::mt19937 random(7);
  for (int round = 0; round < 300; ++round) {
    Json ours = Json::object();
    nlohmann::json theirs = nlohmann::json::object();
    for (int i = 0; i < 30; ++i) {
      const std::string key = random_key(random);
      const std::string inner = random_key(random);
      const int value = static_cast<int>(random() % 100);
      if (random() % 3 == 0 && (!theirs.contains(key) || theirs[key].is_object())) {
        ours[key][inner] = value;
        theirs[key][inner] = value;
      } else if (random() % 2 == 0) {
        ours[key] = {{"list", {value, key}}, {inner, nullptr}};
        theirs[key] = {{"list", {value, key}}, {inner, nullptr}};
      } else {
        ours.erase(key);
        theirs.erase(key);
      }
    }
    const std::string text = theirs.dump(2);
    ASSERT_EQ(ours.dump(2), text) << "round " << round;
    const Json parsed = Json::parse(text);
    EXPECT_EQ(parsed, ours);
    EXPECT_EQ(parsed.dump(), theirs.dump());
    EXPECT_FALSE(parsed < ours);
  }
}

TEST(JsonObjectMap, ObjectsBuiltFromStdMapsKeepTheirOrder) {
  const std::map<std::string, std::string> source = {{"pci.devices", "libpci"}, {"cpu.vmx", "cpuid"}, {"b", "x"}};
  const Json converted = source;
  EXPECT_EQ(converted.dump(), nlohmann::json(source).dump());
  EXPECT_EQ((converted.get<std::map<std::string, std::string>>()), source);
}

TEST(JsonObjectMap, ReservedRoomIsGivenBack) {
  // The pci plugin reserves a record's members and gives back what it did not use.
  Map map;
  map.reserve(36);
  map.emplace("only", 1);
  EXPECT_GE(map.capacity(), 36u);
  map.shrink_to_fit();
  EXPECT_EQ(map.capacity(), 1u);
  EXPECT_EQ(map.find("only")->second, 1);
}

}  // namespace
}  // namespace ptdoctor
