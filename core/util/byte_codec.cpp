#include "byte_codec.hpp"

#include <cstring>
#include <functional>
#include <limits>
#include <stdexcept>

namespace ptdoctor {

namespace {

// The JSON value tags.
enum Tag : std::uint8_t { kNull, kFalse, kTrue, kInteger, kUnsigned, kFloat, kString, kArray, kObject };

}  // namespace

void ByteWriter::u32(std::uint32_t value) {
  for (int i = 0; i < 4; ++i) u8(static_cast<std::uint8_t>(value >> (8 * i)));
}

void ByteWriter::u64(std::uint64_t value) {
  for (int i = 0; i < 8; ++i) u8(static_cast<std::uint8_t>(value >> (8 * i)));
}

void ByteWriter::varint(std::uint64_t value) {
  while (value >= 0x80) {
    u8(static_cast<std::uint8_t>(value | 0x80));
    value >>= 7;
  }
  u8(static_cast<std::uint8_t>(value));
}

void ByteWriter::number(std::int64_t value) {
  varint((static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63));
}

void ByteWriter::text(std::string_view text) {
  varint(text.size());
  out_.append(text);
}

void ByteWriter::json(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: u8(kNull); return;
    case Json::value_t::boolean: u8(value.get<bool>() ? kTrue : kFalse); return;
    case Json::value_t::number_integer:
      u8(kInteger);
      number(value.get<std::int64_t>());
      return;
    case Json::value_t::number_unsigned:
      u8(kUnsigned);
      varint(value.get<std::uint64_t>());
      return;
    case Json::value_t::number_float: {
      u8(kFloat);
      const double number = value.get<double>();
      std::uint64_t bits;
      std::memcpy(&bits, &number, sizeof bits);
      u64(bits);
      return;
    }
    case Json::value_t::string:
      u8(kString);
      text(value.get_ref<const std::string&>());
      return;
    case Json::value_t::array:
      u8(kArray);
      varint(value.size());
      for (const Json& element : value) json(element);
      return;
    case Json::value_t::object:
      u8(kObject);
      varint(value.size());
      for (const auto& [key, element] : value.items()) {
        text(key);
        json(element);
      }
      return;
    default: throw std::invalid_argument("a rule holds a value the rule cache cannot store");
  }
}


std::uint8_t ByteReader::u8() {
  if (pos_ >= in_.size()) return fail();
  return static_cast<std::uint8_t>(in_[pos_++]);
}

std::uint32_t ByteReader::u32() {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= std::uint32_t{u8()} << (8 * i);
  return value;
}

std::uint64_t ByteReader::u64() {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value |= std::uint64_t{u8()} << (8 * i);
  return value;
}

std::uint64_t ByteReader::varint() {
  std::uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    const std::uint8_t byte = u8();
    value |= std::uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80) == 0) return ok_ ? value : 0;
  }
  fail();  // more than ten bytes: not a number this writer wrote
  return 0;
}

std::int64_t ByteReader::number() {
  const std::uint64_t zigzag = varint();
  return static_cast<std::int64_t>(zigzag >> 1) ^ -static_cast<std::int64_t>(zigzag & 1);
}

int ByteReader::small_int() {
  const std::int64_t value = number();
  if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
    fail();
    return 0;
  }
  return static_cast<int>(value);
}

bool ByteReader::flag() {
  const std::uint8_t byte = u8();
  if (byte > 1) fail();
  return byte == 1;
}

std::string_view ByteReader::view(std::size_t size) {
  if (!ok_ || size > left()) {
    fail();
    return {};
  }
  const std::string_view out = in_.substr(pos_, size);
  pos_ += size;
  return out;
}

std::size_t ByteReader::count() {
  const std::uint64_t value = varint();
  if (value > left()) {
    fail();
    return 0;
  }
  return static_cast<std::size_t>(value);
}

bool ByteReader::json(Json& out, int depth) {
  if (depth > kMaxDepth) return fail();
  switch (u8()) {
    case kNull: out = nullptr; break;
    case kFalse: out = false; break;
    case kTrue: out = true; break;
    case kInteger: out = number(); break;
    case kUnsigned: out = varint(); break;
    case kFloat: {
      const std::uint64_t bits = u64();
      double number;
      std::memcpy(&number, &bits, sizeof number);
      out = number;
      break;
    }
    case kString: out = text(); break;
    case kArray: {
      out = Json::array();
      const std::size_t size = count();
      reserve_for(out.get_ref<Json::array_t&>(), size);
      for (std::size_t i = 0; i < size && ok_; ++i) {
        Json element;
        if (json(element, depth + 1)) out.push_back(std::move(element));
      }
      break;
    }
    case kObject: {
      out = Json::object();
      const std::size_t size = count();
      for (std::size_t i = 0; i < size && ok_; ++i) {
        std::string key = text();
        Json element;
        if (json(element, depth + 1)) out[std::move(key)] = std::move(element);
      }
      break;
    }
    default: return fail();
  }
  return ok_;
}



std::uint64_t content_hash(std::string_view bytes) { return std::hash<std::string_view>{}(bytes); }

std::string seal_bytes(std::string_view magic, std::uint32_t format, std::string_view payload) {
  ByteWriter out;
  out.bytes().append(magic);
  out.u32(format);
  out.u64(payload.size());
  out.u64(content_hash(payload));
  out.bytes().append(payload);
  return std::move(out.bytes());
}

std::optional<std::string_view> sealed_payload(std::string_view bytes, std::string_view magic, std::uint32_t format) {
  ByteReader header(bytes.substr(0, kSealedHeaderSize));
  if (header.view(magic.size()) != magic || header.u32() != format) return std::nullopt;
  const std::string_view payload = bytes.substr(std::min(bytes.size(), kSealedHeaderSize));
  if (header.u64() != payload.size() || header.u64() != content_hash(payload) || !header.at_end()) return std::nullopt;
  return payload;
}

}  // namespace ptdoctor
