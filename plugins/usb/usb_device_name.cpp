#include "usb_device_name.hpp"

namespace ptdoctor::usb {

bool is_usb_device_name(std::string_view name) {
  std::size_t at = 0;
  auto number = [&] {  // one or more ASCII digits
    const std::size_t start = at;
    while (at < name.size() && name[at] >= '0' && name[at] <= '9') ++at;
    return at > start;
  };
  if (!number() || at == name.size() || name[at] != '-') return false;
  ++at;
  if (!number()) return false;
  while (at < name.size()) {
    if (name[at] != '.') return false;
    ++at;
    if (!number()) return false;
  }
  return true;
}

}  // namespace ptdoctor::usb
