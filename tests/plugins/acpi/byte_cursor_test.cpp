#include <gtest/gtest.h>

#include <limits>

#include "byte_cursor.hpp"

namespace ptdoctor::acpi {
namespace {

TEST(ByteCursor, ReadsLittleEndian) {
  const ByteCursor cursor(std::string_view("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  EXPECT_EQ(cursor.u8(0), 0x01);
  EXPECT_EQ(cursor.u16(1), 0x0302);
  EXPECT_EQ(cursor.u32(0), 0x04030201u);
  EXPECT_EQ(cursor.u64(0), 0x0807060504030201ull);
}

TEST(ByteCursor, RefusesReadsPastTheEnd) {
  const ByteCursor cursor(std::string_view("\xff\xff\xff", 3));
  EXPECT_FALSE(cursor.u32(0).has_value());
  EXPECT_FALSE(cursor.u8(3).has_value());
  EXPECT_FALSE(cursor.u16(2).has_value());
  EXPECT_EQ(cursor.u32_or0(0), 0u);
  EXPECT_FALSE(cursor.bytes(1, std::numeric_limits<std::size_t>::max()).has_value());  // no overflow wrap
  EXPECT_FALSE(cursor.has(std::numeric_limits<std::size_t>::max(), 2));
  EXPECT_EQ(cursor.bytes(1, 2), std::string_view("\xff\xff", 2));
}

}  // namespace
}  // namespace ptdoctor::acpi
