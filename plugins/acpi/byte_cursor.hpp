#pragma once
// Bounds-checked little-endian reads from a byte buffer, at absolute offsets. Firmware tables arrive as bytes
// from a file that may be truncated or hostile: every read says whether it fitted instead of trusting a length
// field, and no struct is ever cast onto the bytes (alignment, endianness and short input would all bite).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ptdoctor::acpi {

class ByteCursor {
 public:
  explicit ByteCursor(std::string_view bytes) : bytes_(bytes) {}

  std::size_t size() const { return bytes_.size(); }
  // True when [offset, offset + length) lies inside the buffer (written to avoid overflow on huge lengths).
  bool has(std::size_t offset, std::size_t length) const {
    return offset <= bytes_.size() && length <= bytes_.size() - offset;
  }

  std::optional<std::uint8_t> u8(std::size_t offset) const { return little_endian(offset, 1); }
  std::optional<std::uint16_t> u16(std::size_t offset) const {
    auto value = little_endian(offset, 2);
    if (!value) return std::nullopt;
    return static_cast<std::uint16_t>(*value);
  }
  std::optional<std::uint32_t> u32(std::size_t offset) const {
    auto value = little_endian(offset, 4);
    if (!value) return std::nullopt;
    return static_cast<std::uint32_t>(*value);
  }
  std::optional<std::uint64_t> u64(std::size_t offset) const { return little_endian(offset, 8); }

  std::optional<std::string_view> bytes(std::size_t offset, std::size_t length) const {
    if (!has(offset, length)) return std::nullopt;
    return bytes_.substr(offset, length);
  }

  // Reads that callers have already bounds-checked with has(); a short buffer still yields 0, never UB.
  std::uint8_t u8_or0(std::size_t offset) const { return u8(offset).value_or(0); }
  std::uint16_t u16_or0(std::size_t offset) const { return u16(offset).value_or(0); }
  std::uint32_t u32_or0(std::size_t offset) const { return u32(offset).value_or(0); }
  std::uint64_t u64_or0(std::size_t offset) const { return u64(offset).value_or(0); }

 private:
  std::optional<std::uint64_t> little_endian(std::size_t offset, std::size_t width) const {
    if (!has(offset, width)) return std::nullopt;
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i) {
      value |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes_[offset + i])) << (8 * i);
    }
    return value;
  }

  std::string_view bytes_;
};

}  // namespace ptdoctor::acpi
