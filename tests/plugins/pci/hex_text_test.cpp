// The pci facts' hex ids and BDFs, written by hand, against snprintf with the formats they replaced.
#include <cstdio>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "hex_text.hpp"

namespace ptdoctor::pci {
namespace {

unsigned random_value(std::mt19937& random) {
  // Every width of value, not only the large ones a uniform draw gives.
  return static_cast<unsigned>(random()) >> (random() % 33 == 32 ? 31 : random() % 32);
}

TEST(HexText, IdsAsSnprintfWritesThem) {
  std::mt19937 random(12);
  char expected[32];
  for (int round = 0; round < 200000; ++round) {
    const unsigned value = round < 256 ? static_cast<unsigned>(round) : random_value(random);
    const int digits = 1 + static_cast<int>(random() % 8);
    std::snprintf(expected, sizeof expected, "0x%0*x", digits, value);
    ASSERT_EQ(hex_id(value, digits), expected) << value << " " << digits;
  }
  EXPECT_EQ(hex_id(0xffffffffu, 4), "0xffffffff");
  EXPECT_EQ(hex_id(0, 2), "0x00");
}

TEST(HexText, BdfsAsSnprintfWritesThem) {
  std::mt19937 random(7);
  char expected[64];
  for (int round = 0; round < 100000; ++round) {
    const unsigned domain = random() % 4 == 0 ? random_value(random) : random() % 0x10000;
    const unsigned bus = random() % 256, device = random() % 32, function = random() % 8;
    std::snprintf(expected, sizeof expected, "%04x:%02x:%02x.%x", domain, bus, device, function);
    ASSERT_EQ(bdf_text(domain, bus, device, function), expected);
  }
  EXPECT_EQ(bdf_text(0, 0x1a, 0x1f, 7), "0000:1a:1f.7");
}

}  // namespace
}  // namespace ptdoctor::pci
