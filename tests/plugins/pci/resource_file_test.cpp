// The `resource` parser and the BAR/ROM JSON built from its numbers, held against the reader they replaced (a JSON
// tree built while parsing, numbers read with strtoull) on random files: same facts, same JSON types, same messages.
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "resource_file.hpp"

namespace ptdoctor::pci {
namespace {

// ---- The reader before the seventh round of docs/performance.md, kept as the oracle. ----
bool old_parse_hex(std::string_view token, std::uint64_t& value) {
  if (token.empty() || !std::isxdigit(static_cast<unsigned char>(token.front()))) return false;
  const std::string text(token);
  char* stop = nullptr;
  value = std::strtoull(text.c_str(), &stop, 16);
  return stop && *stop == '\0';
}

Json old_resources(const std::string& text, const std::string& path, std::string& problem) {
  constexpr std::uint64_t kIo = 0x100, kMem = 0x200, kPrefetch = 0x2000, kMem64 = 0x100000;
  Json bars = Json::array();
  Json rom = {{"present", false}, {"size", 0}};
  std::uint64_t total = 0;
  std::istringstream lines(text);
  int index = 0;
  for (std::string line; index <= 6 && std::getline(lines, line); ++index) {
    std::istringstream words(line);
    std::string start_text, end_text, flags_text;
    words >> start_text >> end_text >> flags_text;
    std::uint64_t start = 0, end_address = 0, flags = 0;
    if (flags_text.empty() || !old_parse_hex(start_text, start) || !old_parse_hex(end_text, end_address) ||
        !old_parse_hex(flags_text, flags)) {
      problem = path + ": line " + std::to_string(index + 1) + ": expected three hex numbers, got '" + line +
                "'; BAR sizes from this file are ignored";
      return nullptr;
    }
    const std::uint64_t size = end_address > start ? end_address - start + 1 : 0;
    if (index == 6) {
      rom = {{"present", size > 0}, {"size", size}};
      continue;
    }
    if (size == 0) continue;
    total += size;
    bars.push_back({{"index", index},
                    {"start", start},
                    {"size", size},
                    {"type", (flags & kIo) ? "io" : (flags & kMem) ? "mem" : "unknown"},
                    {"is_64bit", (flags & kMem64) != 0},
                    {"prefetchable", (flags & kPrefetch) != 0}});
  }
  return Json{{"bars", bars}, {"rom", rom}, {"bar_total", total}};
}
// ---- end of the oracle ----

Json new_resources(const std::string& text, const std::string& path, std::string& problem) {
  Resources parsed;
  std::string bad = parse_resources(text, parsed);
  if (!bad.empty()) {
    problem = path + ": " + bad + "; BAR sizes from this file are ignored";
    return nullptr;
  }
  return Json{{"bars", bars_json(parsed)}, {"rom", rom_json(parsed)}, {"bar_total", parsed.bar_total}};
}

// Equal values of equal JSON types: operator== takes the integer 0 and the unsigned 0 for the same.
bool same_typed(const Json& a, const Json& b) {
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(), jt = b.begin(); it != a.end(); ++it, ++jt) {
      if (it.key() != jt.key() || !same_typed(*it, *jt)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!same_typed(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

// A word as a hostile or damaged tree might hold it, or as the kernel prints it.
std::string random_word(std::mt19937_64& random) {
  static const char* const kOdd[] = {"0x", "0X", "x1", "g", "-1", "+5", "0x-1", "0xg", "00x1", "0x0x1", "1.5",
                                     "0x00000000000000000", "ffffffffffffffff", "10000000000000000",
                                     "0xffffffffffffffffff", "0X1F", "\x80", "0x1\x01"};
  const unsigned pick = random() % 10;
  if (pick == 0) return kOdd[random() % std::size(kOdd)];
  char buffer[40];
  const std::uint64_t value = random() % 3 == 0 ? random() % 0x10000 : random();
  std::snprintf(buffer, sizeof buffer, pick < 7 ? "0x%016llx" : pick == 7 ? "%llx" : "0x%llX",
                static_cast<unsigned long long>(value));
  return buffer;
}

std::string random_space(std::mt19937_64& random) {
  static const char* const kSpaces[] = {" ", " ", "  ", "\t", "\v", "\f", "\r", " \t"};
  return kSpaces[random() % std::size(kSpaces)];
}

std::string random_file(std::mt19937_64& random) {
  std::string text;
  const int lines = static_cast<int>(random() % 10);
  for (int line = 0; line < lines; ++line) {
    if (random() % 4 == 0) text += random_space(random);
    int words = 3;
    if (random() % 12 == 0) words = static_cast<int>(random() % 5);
    for (int word = 0; word < words; ++word) {
      if (word > 0) text += random_space(random);
      // Mostly an ordered start/end pair, so that BARs of a real size come out.
      if (word == 1 && random() % 3 != 0) {
        char buffer[40];
        std::snprintf(buffer, sizeof buffer, "0x%016llx", static_cast<unsigned long long>(random() % 0x100000 + 1));
        text += buffer;
      } else {
        text += word == 0 && random() % 3 != 0 ? "0x0000000000000000" : random_word(random);
      }
    }
    if (random() % 6 == 0) text += random_space(random);
    if (line + 1 < lines || random() % 2 == 0) text += '\n';
  }
  return text;
}

TEST(ResourceFile, SameFactsAndMessagesAsTheOldReaderOnRandomFiles) {
  std::mt19937_64 random(12);
  int good = 0;
  for (int round = 0; round < 20000; ++round) {
    const std::string text = random_file(random);
    std::string old_problem, new_problem;
    const Json expected = old_resources(text, "/sys/x/resource", old_problem);
    const Json actual = new_resources(text, "/sys/x/resource", new_problem);
    ASSERT_EQ(new_problem, old_problem) << text;
    ASSERT_TRUE(same_typed(actual, expected)) << text << "\n" << actual.dump() << "\n" << expected.dump();
    good += expected.is_null() ? 0 : 1;
  }
  // Both outcomes are exercised in earnest.
  EXPECT_GT(good, 5000);
  EXPECT_LT(good, 19000);
}

TEST(ResourceFile, HexTokensReadAsStrtoullReadsThem) {
  std::mt19937_64 random(7);
  const std::string alphabet = "0123456789abcdefABCDEFxXg -+\t";
  for (int round = 0; round < 100000; ++round) {
    std::string token;
    const std::size_t length = random() % 22;
    for (std::size_t i = 0; i < length; ++i) token += alphabet[random() % alphabet.size()];
    if (random() % 3 == 0) token.insert(0, "0x");
    std::uint64_t old_value = 0, new_value = 0;
    const bool old_ok = old_parse_hex(token, old_value);
    ASSERT_EQ(parse_hex_token(token, new_value), old_ok) << "'" << token << "'";
    if (old_ok) {
      ASSERT_EQ(new_value, old_value) << "'" << token << "'";
    }
  }
}

TEST(ResourceFile, AKernelFileGivesItsBarsRomAndTotal) {
  const std::string text =
      "0x00000000f7394000 0x00000000f7397fff 0x0000000000140204\n"
      "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
      "0x000000000000e000 0x000000000000e01f 0x0000000000040101\n"
      "0x00000000f73a0000 0x00000000f73a3fff 0x0000000000142204\n"
      "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
      "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
      "0x00000000f7300000 0x00000000f737ffff 0x0000000000046200\n"
      "0x0000000000000000 0x0000000000000000 0x0000000000000000\n";
  Resources parsed;
  ASSERT_EQ(parse_resources(text, parsed), "");
  ASSERT_EQ(parsed.bars.size(), 3u);
  EXPECT_EQ(parsed.bar_total, 0x4000u + 0x20u + 0x4000u);
  EXPECT_EQ(bars_json(parsed)[1], (Json{{"index", 2}, {"start", 0xe000u}, {"size", 0x20u}, {"type", "io"},
                                        {"is_64bit", false}, {"prefetchable", false}}));
  EXPECT_EQ(bars_json(parsed)[2]["prefetchable"], true);
  EXPECT_EQ(rom_json(parsed), (Json{{"present", true}, {"size", 0x80000u}}));
}

}  // namespace
}  // namespace ptdoctor::pci
