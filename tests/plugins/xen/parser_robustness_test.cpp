// Hostile captures: random bytes must never crash the xl and dpkg parsers or make them invent fields.
#include <random>

#include <gtest/gtest.h>

#include "dpkg_status.hpp"
#include "xl_dmesg.hpp"
#include "xl_info.hpp"

namespace ptdoctor::hostplug {
namespace {

TEST(XenParserRobustness, RandomInputNeverCrashes) {
  static const char* const kTokens[] = {":", " ", "\n", "(XEN) ", "[", "]", "Xen version ", "I/O virtualisation ",
                                        "enabled", "Package: ", "Status: install ok installed", "Version: ", "\0"};
  std::mt19937 rng(424242);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    int n = std::uniform_int_distribution<int>(0, 120)(rng);
    for (int i = 0; i < n; ++i) {
      if (round % 2) {
        text += static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
      } else {
        text += kTokens[std::uniform_int_distribution<std::size_t>(0, std::size(kTokens) - 1)(rng)];
      }
    }
    XlInfo info = parse_xl_info(text);
    for (const auto& [key, value] : info.fields) {
      EXPECT_FALSE(key.empty());
      EXPECT_EQ(key.find(':'), std::string::npos);
    }
    (void)parse_xl_dmesg(text);
    for (const auto& package : installed_packages(text, "")) EXPECT_FALSE(package.name.empty());
    (void)upstream_numeric_version(text);
  }
}

}  // namespace
}  // namespace ptdoctor::hostplug
