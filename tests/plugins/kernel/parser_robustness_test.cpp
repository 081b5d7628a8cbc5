// Hostile input: random bytes and random mixes of the formats' own tokens must never crash, hang or invent
// output the input does not contain.
#include <random>

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
  static const char* const kTokens[] = {"(", ")", ":", ".", "*", "=", "\"", "'", "\\", "\n", " ", "$", "${",
                                        "}", "`", "$(", "#", "CONFIG_X", "=y", "08", "0000", "--", "options",
                                        "softdep", "pre:", "\x1f\x8b", "\0", "\xff"};
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
    std::map<std::string, std::string> variables;
    (void)read_shell_assignments(text, variables);
    Gunzipped unpacked = gunzip(text, 1 << 20);
    EXPECT_LE(unpacked.data.size(), (std::size_t{1} << 20) + 16384);  // the limit plus one buffer
  }
}

}  // namespace
}  // namespace ptdoctor::hostplug
