// ConfigBytes holds only the bytes that were read (the header and the capability registers asked for), packed;
// held here against the view it replaced, a string of the whole readable length with holes, on random layouts.
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "config_space.hpp"

namespace ptdoctor::pci {
namespace {

// The view before the seventh round of docs/performance.md, kept as the oracle.
class OldConfigBytes {
 public:
  OldConfigBytes(std::string bytes, std::size_t dense, std::vector<ConfigRange> extended)
      : bytes_(std::move(bytes)), dense_(dense), extended_(std::move(extended)) {}
  std::optional<std::uint8_t> u8(std::size_t offset) const {
    if (offset >= bytes_.size() || !was_read(offset)) return std::nullopt;
    return static_cast<std::uint8_t>(bytes_[offset]);
  }
  std::optional<std::uint16_t> u16(std::size_t offset) const {
    auto low = u8(offset), high = u8(offset + 1);
    if (!low || !high) return std::nullopt;
    return static_cast<std::uint16_t>(*low | (*high << 8));
  }
  std::optional<std::uint32_t> u32(std::size_t offset) const {
    auto low = u16(offset), high = u16(offset + 2);
    if (!low || !high) return std::nullopt;
    return static_cast<std::uint32_t>(*low) | (static_cast<std::uint32_t>(*high) << 16);
  }

 private:
  bool was_read(std::size_t offset) const {
    if (offset < dense_) return true;
    for (const ConfigRange& range : extended_) {
      if (offset >= range.offset && offset - range.offset < range.length) return true;
    }
    return false;
  }
  std::string bytes_;
  std::size_t dense_;
  std::vector<ConfigRange> extended_;
};

TEST(ConfigBytes, PackedRangesReadAsTheWholeStringWithHoles) {
  std::mt19937 random(12);
  for (int round = 0; round < 3000; ++round) {
    const std::size_t size = random() % 2 ? 4096 : 65 + random() % 400;
    std::string all(size, '\0');
    for (char& byte : all) byte = static_cast<char>(random());
    // As LibpciSession::config reads: the header, the last byte, then the wanted ranges (which may overlap).
    std::vector<ConfigRange> ranges = {{size - 1, 1}};
    const int wanted = static_cast<int>(random() % 7);
    for (int i = 0; i < wanted; ++i) {
      const std::size_t offset = 64 + random() % (size - 64);
      ranges.push_back({offset, std::min<std::size_t>(1 + random() % 8, size - offset)});
    }
    std::string packed = all.substr(0, 64);
    for (const ConfigRange& range : ranges) packed += all.substr(range.offset, range.length);
    const ConfigBytes config(size, packed, 64, ranges);
    const OldConfigBytes old(all, 64, ranges);
    ASSERT_EQ(config.size(), size);
    for (std::size_t offset = 0; offset < size + 8; ++offset) {
      ASSERT_EQ(config.u8(offset), old.u8(offset)) << round << " " << offset;
      ASSERT_EQ(config.u16(offset), old.u16(offset)) << round << " " << offset;
      ASSERT_EQ(config.u32(offset), old.u32(offset)) << round << " " << offset;
    }
  }
}

TEST(ConfigBytes, ADenseStringIsReadWhole) {
  const ConfigBytes config(std::string("\x86\x80\xed\x10", 4));
  EXPECT_EQ(config.size(), 4u);
  EXPECT_EQ(config.u16(0), 0x8086);
  EXPECT_EQ(config.u32(0), 0x10ed8086u);
  EXPECT_EQ(config.u8(4), std::nullopt);
}

}  // namespace
}  // namespace ptdoctor::pci
