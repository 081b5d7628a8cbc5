// Hostile input: random bytes and random mixes of the formats' own tokens must never crash, hang or invent
// output the input does not contain.
#include <algorithm>
#include <random>
#include <string_view>

#include <gtest/gtest.h>

#include "cmdline.hpp"
#include "gzip_reader.hpp"
#include "kconfig.hpp"
#include "modprobe_conf.hpp"
#include "pciback_hide.hpp"
#include "shell_assignments.hpp"

namespace ptdoctor::hostplug {
namespace {

std::string random_text(std::mt19937& rng, bool tokens) {
  using namespace std::string_view_literals;
  // string_views, so the NUL token really is one byte long.
  static const std::string_view kTokens[] = {"("sv, ")"sv, ":"sv, "."sv, "*"sv, "="sv, "\""sv, "'"sv, "\\"sv, "\n"sv,
                                             " "sv, "$"sv, "${"sv, "}"sv, "`"sv, "$("sv, "#"sv, "CONFIG_X"sv, "=y"sv,
                                             "08"sv, "0000"sv, "--"sv, "options"sv, "softdep"sv, "pre:"sv,
                                             "\x1f\x8b"sv, "\0"sv, "\xff"sv, "GRUB_X="sv};
  std::string text;
  std::uniform_int_distribution<int> length(0, 200);
  int n = length(rng);
  for (int i = 0; i < n; ++i) {
    if (tokens) {
      text += kTokens[std::uniform_int_distribution<std::size_t>(0, std::size(kTokens) - 1)(rng)];
    } else {
      text += static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
    }
  }
  return text;
}

TEST(ParserRobustness, RandomInputNeverCrashes) {
  std::mt19937 rng(20261124);
  for (int round = 0; round < 3000; ++round) {
    std::string text = random_text(rng, round % 2 == 0);
    Cmdline cmdline = parse_cmdline(text);
    for (const auto& [name, values] : cmdline.params) EXPECT_FALSE(name.empty());
    HideList hide = parse_hide_list(text);
    for (const std::string& bdf : hide.bdfs) EXPECT_EQ(bdf.size(), 12u) << bdf;
    Kconfig config = parse_kconfig(text);
    for (const auto& [name, value] : config.options) EXPECT_EQ(name.rfind("CONFIG_", 0), 0u);
    ModprobeConf conf;
    parse_modprobe_conf(text, "f", conf);
    // Every module a line names is a word of the text (modprobe spells '-' as '_'), never an invention.
    std::string underscored = text;
    std::replace(underscored.begin(), underscored.end(), '-', '_');
    auto named = [&](std::string module) {
      std::replace(module.begin(), module.end(), '-', '_');
      return underscored.find(module) != std::string::npos;
    };
    for (const auto& [module, words] : conf.options) EXPECT_TRUE(named(module)) << module;
    for (const auto& [module, dep] : conf.softdeps) EXPECT_TRUE(named(module)) << module;
    std::map<std::string, std::string> variables;
    (void)read_shell_assignments(text, variables);
    for (const auto& [name, value] : variables) {
      EXPECT_FALSE(name.empty());
      EXPECT_NE(text.find(name + "="), std::string::npos) << name;
    }
    Gunzipped unpacked = gunzip(text, 1 << 20);
    EXPECT_LE(unpacked.data.size(), (std::size_t{1} << 20) + 16384);  // the limit plus one buffer
  }
}

}  // namespace
}  // namespace ptdoctor::hostplug
