#pragma once
// A bounds-checked byte form for caches of parsed data files: integers, length-prefixed strings and JSON values,
// written by ByteWriter and read back by ByteReader without building any intermediate tree; and the sealed file
// around them (a magic, a format number, the payload's length and checksum). The compiled rule cache
// (core/rules/rule_cache.hpp) and the gpu plugin's quirk cache (plugins/gpu/quirk_cache.hpp) are written in it.
//
// The reader is for bytes nobody vouches for: it never reads past its input, never trusts a count further than
// the bytes left could hold, and refuses values nested deeper than kMaxDepth. Its first failure is sticky: every
// later read returns an empty value, ok() stays false, and whatever was read is to be thrown away.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptdoctor/json.hpp"

namespace ptdoctor {

// Room for the `count` items about to be appended to `items`, up to 64: the honest counts (a file's rules, an
// operator's operands, a template's pieces) need no regrowth, and a hostile one sizes nothing.
template <class T>
void reserve_for(std::vector<T>& items, std::size_t count) {
  items.reserve(items.size() + std::min<std::size_t>(count, 64));
}

// The hash keying a data file's bytes (with their length) and checking a sealed payload: libstdc++'s std::hash of
// a string, a 64-bit MurmurHash2 that takes 8 bytes a step (FNV-1a's byte at a time cost 1 M instructions of a
// check). It tells an edited file from the shipped one (an accidental collision of length and hash is out of
// reach) and a damaged cache from a whole one (any one changed 8-byte word changes it); it is no defence against
// someone who can write the data directory, and needs none: whoever can write there can write the data itself. A
// library whose std::hash differed from the build's would only make every cache miss.
std::uint64_t content_hash(std::string_view bytes);

// The sealed header: an 8-byte magic, u32 format, u64 payload length, u64 checksum of the payload.
inline constexpr std::size_t kSealedHeaderSize = 28;
// `payload` behind that header.
std::string seal_bytes(std::string_view magic, std::uint32_t format, std::string_view payload);
// The payload of `bytes` when they are one whole sealed file of this magic and format: nullopt when the magic,
// format, length or checksum does not match.
std::optional<std::string_view> sealed_payload(std::string_view bytes, std::string_view magic, std::uint32_t format);

class ByteWriter {
 public:
  void u8(std::uint8_t value) { out_.push_back(static_cast<char>(value)); }
  void u32(std::uint32_t value);  // 4 bytes, little-endian
  void u64(std::uint64_t value);  // 8 bytes, little-endian
  void varint(std::uint64_t value);  // LEB128
  void number(std::int64_t value);   // zigzag LEB128
  void text(std::string_view text);
  // Null, booleans, numbers, strings, arrays and objects; throws std::invalid_argument on anything else
  // (binary values, which no cache holds).
  void json(const Json& value);

  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

class ByteReader {
 public:
  // Values (a JSON value, an expression) nested deeper than this are refused; the YAML loader allows 64.
  static constexpr int kMaxDepth = 128;

  explicit ByteReader(std::string_view in) : in_(in) {}

  bool ok() const { return ok_; }
  bool at_end() const { return ok_ && pos_ == in_.size(); }
  std::size_t left() const { return in_.size() - pos_; }
  // Marks the input bad (a value out of range, say): sticky like any other failure. Returns false.
  bool fail() {
    ok_ = false;
    pos_ = in_.size();
    return false;
  }

  std::uint8_t u8();
  std::uint32_t u32();
  std::uint64_t u64();
  std::uint64_t varint();
  std::int64_t number();
  // A number that must fit an int (line and column numbers).
  int small_int();
  bool flag();  // a byte that must be 0 or 1
  std::string_view view(std::size_t size);
  std::string text() { return std::string(text_view()); }
  std::string_view text_view() { return view(static_cast<std::size_t>(varint())); }
  // A count of items that each take at least one byte: more than the bytes left is a failure. Callers append the
  // items as they decode, with room made for a few dozen at most (reserve_for), so what a hostile count costs is
  // bounded by the items that really decode.
  std::size_t count();
  bool json(Json& out, int depth = 0);

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace ptdoctor
