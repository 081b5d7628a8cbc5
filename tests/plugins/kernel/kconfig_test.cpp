#include "kconfig.hpp"

#include <cctype>
#include <map>
#include <random>

#include <gtest/gtest.h>
#include <zlib.h>

#include "gzip_reader.hpp"
#include "text_util.hpp"

namespace ptdoctor::hostplug {
namespace {

// gzip-compresses text with zlib itself, so the tests need no fixture file.
std::string gzip(const std::string& text) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&stream, text.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

TEST(Kconfig, ReadsEveryKindOfLine) {
  Kconfig config = parse_kconfig(
      "#\n# Automatically generated file; DO NOT EDIT.\n#\nCONFIG_XEN=y\nCONFIG_XEN_PCIDEV_BACKEND=m\n"
      "# CONFIG_XEN_PRIVCMD is not set\nCONFIG_HZ=250\nCONFIG_LOCALVERSION=\"-xen \\\"dom0\\\"\"\n\n");
  EXPECT_EQ(config.options["CONFIG_XEN"], "y");
  EXPECT_EQ(config.options["CONFIG_XEN_PCIDEV_BACKEND"], "m");
  EXPECT_EQ(config.options["CONFIG_XEN_PRIVCMD"], "n");
  EXPECT_EQ(config.options["CONFIG_HZ"], "250");
  EXPECT_EQ(config.options["CONFIG_LOCALVERSION"], "-xen \"dom0\"");
  EXPECT_EQ(config.options.count("CONFIG_XEN_DOM0"), 0u);  // unset: absent
  EXPECT_TRUE(config.problems.empty());
}

TEST(Kconfig, GarbageLinesAreReportedWithTheirLineNumber) {
  Kconfig config = parse_kconfig("CONFIG_XEN=y\nnot a config line\nCONFIG_BAD=\"unterminated\nXEN_DOM0=y\n"
                                 "CONFIG_XEN_DOM0=y\n\x01\x02\n");
  EXPECT_EQ(config.options.size(), 2u);
  ASSERT_EQ(config.problems.size(), 4u);
  EXPECT_EQ(config.problems[0].line, 2u);
  EXPECT_EQ(config.problems[0].text, "not a config line");
  EXPECT_EQ(config.problems[1].line, 3u);
  EXPECT_EQ(config.problems[2].line, 4u);
  EXPECT_EQ(config.problems[3].text, "??");
}

// The parser as it was before it wrote the fact's JSON object directly (main at f0b7eb0): a std::map of strings,
// filled with operator[], characters classed by <cctype>. The oracle for the test below.
struct OldKconfig {
  std::map<std::string, std::string> options;
  std::vector<KconfigProblem> problems;
};

bool old_is_option_name(std::string_view name) {
  if (!starts_with(name, "CONFIG_") || name.size() == 7) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

bool old_parse_value(std::string_view raw, std::string& value) {
  if (raw.empty()) return false;
  if (raw.front() != '"') {
    for (char c : raw) {
      if (std::isspace(static_cast<unsigned char>(c)) || c == '"') return false;
    }
    value = std::string(raw);
    return true;
  }
  value.clear();
  for (std::size_t i = 1; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\' && i + 1 < raw.size()) {
      value += raw[++i];
    } else if (c == '"') {
      return i + 1 == raw.size();
    } else {
      value += c;
    }
  }
  return false;
}

OldKconfig old_parse_kconfig(std::string_view text) {
  OldKconfig config;
  std::size_t number = 0;
  for_each_line(text, [&](std::string_view raw_line) {
    ++number;
    std::string_view line = trim(raw_line);
    if (line.empty()) return;
    if (line.front() == '#') {
      constexpr std::string_view kNotSet = " is not set";
      std::string_view rest = trim(line.substr(1));
      if (rest.size() > kNotSet.size() && rest.substr(rest.size() - kNotSet.size()) == kNotSet) {
        std::string_view name = rest.substr(0, rest.size() - kNotSet.size());
        if (old_is_option_name(name)) config.options[std::string(name)] = "n";
      }
      return;
    }
    std::size_t equals = line.find('=');
    std::string value;
    if (equals != std::string_view::npos && old_is_option_name(line.substr(0, equals)) &&
        old_parse_value(line.substr(equals + 1), value)) {
      config.options[std::string(line.substr(0, equals))] = value;
      return;
    }
    config.problems.push_back({number, shown_line(line)});
  });
  return config;
}

// Lines built from a config's own pieces, with repeated names (the last line wins), every kind of blank, quotes,
// escapes and bytes outside ASCII in names and values.
std::string random_config(std::mt19937& rng) {
  static const char* const kPieces[] = {"CONFIG_", "CONFIG_A", "CONFIG_B", "CONFIG_XEN", "_1", "x", "\xe9", "-",
                                        "=", "=y", "=m", "=n", "=\"", "\"", "\\", "\\\"", " ", "\t", "\v",
                                        "\f", "\r", "\n", "\n", "\n", "#", "# ", " is not set", "is not set",
                                        "0x1f", "250", "\x01", "\xff"};
  std::uniform_int_distribution<std::size_t> piece(0, std::size(kPieces) - 1);
  std::string text;
  const int count = std::uniform_int_distribution<int>(0, 120)(rng);
  for (int i = 0; i < count; ++i) text += kPieces[piece(rng)];
  return text;
}

TEST(Kconfig, ReadsRandomTextsAsTheMapParserDid) {
  std::mt19937 rng(20261203);
  for (int round = 0; round < 4000; ++round) {
    const std::string text = random_config(rng);
    const Kconfig now = parse_kconfig(text);
    const OldKconfig before = old_parse_kconfig(text);
    std::map<std::string, std::string> options;
    for (const auto& [name, value] : now.options) options.emplace(name, value.get<std::string>());
    ASSERT_EQ(options, before.options) << text;
    ASSERT_EQ(now.problems.size(), before.problems.size()) << text;
    for (std::size_t i = 0; i < now.problems.size(); ++i) {
      EXPECT_EQ(now.problems[i].line, before.problems[i].line) << text;
      EXPECT_EQ(now.problems[i].text, before.problems[i].text) << text;
    }
  }
}

// Long names that share their first 16, 20 or 23 bytes after "CONFIG_" (as USB_SERIAL_... and SND_SOC_INTEL_...
// do), names that begin others, and repeats: the sort compares the first 16 bytes as numbers, then the rest.
TEST(Kconfig, LongNamesWithSharedBeginningsSortAsTheMapParserDid) {
  static const char* const kParts[] = {"SND_SOC_INTEL_", "SND_SOC_", "USB_SERIAL_", "USB_", "A", "B", "Z", "a",
                                       "_", "0", "9", "SKYLAKE", "X86_64"};
  std::mt19937 rng(20261203);
  std::uniform_int_distribution<std::size_t> part(0, std::size(kParts) - 1);
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const int lines = std::uniform_int_distribution<int>(1, 200)(rng);
    for (int i = 0; i < lines; ++i) {
      std::string name = "CONFIG_";
      const int parts = std::uniform_int_distribution<int>(1, 6)(rng);
      for (int p = 0; p < parts; ++p) name += kParts[part(rng)];
      text += (i % 7 == 3 ? "# " + name + " is not set" : name + "=" + std::to_string(i)) + "\n";
    }
    const Kconfig now = parse_kconfig(text);
    const OldKconfig before = old_parse_kconfig(text);
    std::vector<std::pair<std::string, std::string>> in_order;
    for (const auto& [name, value] : now.options) in_order.emplace_back(name, value.get<std::string>());
    const std::vector<std::pair<std::string, std::string>> expected(before.options.begin(), before.options.end());
    ASSERT_EQ(in_order, expected) << text;
  }
}

TEST(Kconfig, ALaterLineForTheSameOptionWins) {
  Kconfig config = parse_kconfig("CONFIG_XEN=y\n# CONFIG_XEN is not set\nCONFIG_HZ=100\nCONFIG_HZ=250\n");
  EXPECT_EQ(config.options.at("CONFIG_XEN"), "n");
  EXPECT_EQ(config.options.at("CONFIG_HZ"), "250");
  EXPECT_EQ(config.options.size(), 2u);
}

TEST(Gzip, RoundTripsAConfig) {
  Gunzipped unpacked = gunzip(gzip("CONFIG_XEN=y\n"));
  EXPECT_FALSE(unpacked.error);
  EXPECT_EQ(unpacked.data, "CONFIG_XEN=y\n");
}

TEST(Gzip, TruncatedDataKeepsWhatWasDecodedAndSaysWhere) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "CONFIG_OPTION_" + std::to_string(i) + "=y\n";
  std::string packed = gzip(text);
  Gunzipped unpacked = gunzip(packed.substr(0, packed.size() / 2));
  ASSERT_TRUE(unpacked.error);
  EXPECT_NE(unpacked.error->find("truncated"), std::string::npos) << *unpacked.error;
  EXPECT_FALSE(unpacked.data.empty());
  EXPECT_EQ(text.compare(0, unpacked.data.size(), unpacked.data), 0);  // a true prefix
}

TEST(Gzip, CorruptDataIsAnErrorNotACrash) {
  std::string packed = gzip(std::string(5000, 'x') + "CONFIG_XEN=y\n");
  for (std::size_t i = 12; i < packed.size() - 8; i += 3) packed[i] = static_cast<char>(0xff);
  Gunzipped unpacked = gunzip(packed);
  ASSERT_TRUE(unpacked.error);
  EXPECT_EQ(gunzip("not gzip at all").error.has_value(), true);
  EXPECT_TRUE(gunzip("").error.has_value());
}

TEST(Gzip, ChecksumMismatchSaysEverythingIsSuspect) {
  std::string packed = gzip("CONFIG_XEN=y\n");
  packed[packed.size() - 6] ^= 0x55;  // inside the CRC32 trailer
  Gunzipped unpacked = gunzip(packed);
  ASSERT_TRUE(unpacked.error);
  EXPECT_NE(unpacked.error->find("suspect"), std::string::npos) << *unpacked.error;
}

TEST(Gzip, OutputLimitStopsABomb) {
  Gunzipped unpacked = gunzip(gzip(std::string(1 << 20, '\0')), 1000);
  ASSERT_TRUE(unpacked.error);
  EXPECT_NE(unpacked.error->find("larger than"), std::string::npos);
}

}  // namespace
}  // namespace ptdoctor::hostplug
