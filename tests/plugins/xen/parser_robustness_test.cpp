// Hostile captures: random bytes must never crash the xl and dpkg parsers or make them invent fields.
#include <random>
#include <string_view>

#include <gtest/gtest.h>

#include "dpkg_status.hpp"
#include "xl_dmesg.hpp"
#include "xl_info.hpp"

namespace ptdoctor::hostplug {
namespace {

TEST(XenParserRobustness, RandomInputNeverCrashes) {
  using namespace std::string_view_literals;
  // string_views, so the NUL token really is one byte long.
  static const std::string_view kTokens[] = {":"sv, " "sv, "\n"sv, "(XEN) "sv, "["sv, "]"sv, "Xen version "sv,
                                             "I/O virtualisation "sv, "enabled"sv, "Package: "sv,
                                             "Status: install ok installed"sv, "Version: "sv, "\0"sv, "4.17"sv};
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
    // Nothing is invented: a field is set only when the text holds the words it comes from.
    XlDmesg dmesg = parse_xl_dmesg(text);
    auto has = [&](const char* words) { return text.find(words) != std::string::npos; };
    if (dmesg.version_line) {
      EXPECT_TRUE(has("Xen version")) << text;
    }
    if (dmesg.io_virtualisation) {
      EXPECT_TRUE(has("I/O virtualisation")) << text;
    }
    if (dmesg.interrupt_remapping) {
      EXPECT_TRUE(has("nterrupt remapping")) << text;
    }
    if (!dmesg.truncated) {
      EXPECT_TRUE(has("Xen version")) << text;
    }
    for (const auto& package : installed_packages(text, "")) EXPECT_FALSE(package.name.empty());
    std::string version = upstream_numeric_version(text);
    EXPECT_EQ(version.find_first_not_of("0123456789."), std::string::npos) << version;
    if (!version.empty()) {
      EXPECT_TRUE(has(version.c_str())) << version;
    }
  }
}

}  // namespace
}  // namespace ptdoctor::hostplug
