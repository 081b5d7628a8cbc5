#pragma once
// The byte layer of the compiled rule cache (rule_cache.cpp): integers, length-prefixed strings, JSON values and
// fact references, written by ByteWriter and read back by ByteReader without building any intermediate tree.
//
// The reader is for bytes nobody vouches for: it never reads past its input, never trusts a count further than
// the bytes left could hold, and refuses values nested deeper than kMaxDepth. Its first failure is sticky: every
// later read returns an empty value, ok() stays false, and whatever was read is to be thrown away.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ptdoctor/json.hpp"
#include "rules/expression.hpp"

namespace ptdoctor::rules {

// Room for the `count` items about to be appended to `items`, up to 64: the honest counts (a file's rules, an
// operator's operands, a template's pieces) need no regrowth, and a hostile one sizes nothing.
template <class T>
void reserve_for(std::vector<T>& items, std::size_t count) {
  items.reserve(items.size() + std::min<std::size_t>(count, 64));
}

class ByteWriter {
 public:
  void u8(std::uint8_t value) { out_.push_back(static_cast<char>(value)); }
  void u32(std::uint32_t value);  // 4 bytes, little-endian
  void u64(std::uint64_t value);  // 8 bytes, little-endian
  void varint(std::uint64_t value);  // LEB128
  void number(std::int64_t value);   // zigzag LEB128
  void text(std::string_view text);
  // Null, booleans, numbers, strings, arrays and objects; throws std::invalid_argument on anything else
  // (binary values, which no rule holds).
  void json(const Json& value);
  void fact(const FactRef& fact);

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
  bool fact(FactRef& out);

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace ptdoctor::rules
