#include "hex_text.hpp"

namespace ptdoctor::pci {
namespace {

// Appends `value` in lowercase hex, zero-padded to at least `digits` digits (more when the value needs them).
void append_hex(std::string& out, unsigned value, int digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  char buffer[8];
  int length = 0;
  do {
    buffer[length++] = kDigits[value & 0xf];
    value >>= 4;
  } while (value != 0);
  for (int pad = length; pad < digits; ++pad) out += '0';
  while (length > 0) out += buffer[--length];
}

}  // namespace

std::string hex_id(unsigned value, int digits) {
  std::string text;
  text.reserve(10);
  text += "0x";
  append_hex(text, value, digits);
  return text;
}

std::string bdf_text(unsigned domain, unsigned bus, unsigned device, unsigned function) {
  std::string text;
  text.reserve(15);
  append_hex(text, domain, 4);
  text += ':';
  append_hex(text, bus, 2);
  text += ':';
  append_hex(text, device, 2);
  text += '.';
  append_hex(text, function, 1);
  return text;
}

}  // namespace ptdoctor::pci
