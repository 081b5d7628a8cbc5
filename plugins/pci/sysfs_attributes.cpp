#include "sysfs_attributes.hpp"

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string_view>

#include "sysfs_guard.hpp"

namespace ptdoctor::pci {
namespace {

// include/linux/ioport.h IORESOURCE_* flags as printed in the third column of `resource`.
constexpr std::uint64_t kIoResourceIo = 0x100, kIoResourceMem = 0x200, kIoResourcePrefetch = 0x2000,
                        kIoResourceMem64 = 0x100000;
constexpr int kRomLine = 6;

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\0')) text.pop_back();
  while (!text.empty() && text.front() == ' ') text.erase(text.begin());
  return text;
}

// A whole token of hex digits with an optional 0x, as the kernel prints and libpci's sscanf("%llx") needs.
bool parse_hex(std::string_view token, std::uint64_t& value) {
  if (token.empty() || !std::isxdigit(static_cast<unsigned char>(token.front()))) return false;
  // strtoull needs a terminated copy; a token of the kernel's size fits the stack.
  char small[32];
  std::string large;
  const char* text = small;
  if (token.size() < sizeof small) {
    token.copy(small, token.size());
    small[token.size()] = '\0';
  } else {
    large.assign(token);
    text = large.c_str();
  }
  char* stop = nullptr;
  value = std::strtoull(text, &stop, 16);
  return stop && *stop == '\0';
}

// The next whitespace-separated word of `line` from `position` on, as `std::istream >> std::string` reads it;
// empty at the end.
std::string_view next_word(std::string_view line, std::size_t& position) {
  // The classic locale's white space, which a default-constructed stream uses whatever the C locale is.
  auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (position < line.size() && space(line[position])) ++position;
  const std::size_t start = position;
  while (position < line.size() && !space(line[position])) ++position;
  return line.substr(start, position - start);
}

}  // namespace

Json link_basename(const HostView& host, const std::string& path) {
  auto target = host.read_link(path);
  if (!target) return nullptr;
  std::string text = *target;
  while (!text.empty() && text.back() == '/') text.pop_back();
  const std::size_t slash = text.rfind('/');
  std::string name = slash == std::string::npos ? text : text.substr(slash + 1);
  if (name.empty() || name == "." || name == "..") return nullptr;
  return name;
}

Json boot_vga(const HostView& host, const std::string& device_path) {
  auto text = host.read_file(device_path + "/boot_vga", 64);
  if (!text) return false;
  return trim(*text) == "1";
}

Json reset_methods(const HostView& host, const std::string& device_path) {
  auto text = host.read_file(device_path + "/reset_method", 4096);
  if (!text) return nullptr;
  Json methods = Json::array();
  std::istringstream words(*text);
  for (std::string word; words >> word;) methods.push_back(word);
  return methods;
}

Json resources(const HostView& host, const std::string& device_path, std::string& problem) {
  const std::string path = device_path + "/resource";
  auto text = host.read_file(path, 1 << 16);
  if (!text) {
    problem = path + ": " + text.error().message;
    return nullptr;
  }
  Json bars = Json::array();
  Json rom = {{"present", false}, {"size", 0}};
  std::uint64_t total = 0;
  // Line by line as std::getline splits them (no empty line after a final newline), three words per line.
  const std::string_view all = *text;
  int index = 0;
  for (std::size_t begin = 0; begin < all.size() && index <= kRomLine; ++index) {
    std::size_t end = all.find('\n', begin);
    if (end == std::string_view::npos) end = all.size();
    const std::string_view line = all.substr(begin, end - begin);
    begin = end + 1;
    std::size_t position = 0;
    const std::string_view start_text = next_word(line, position);
    const std::string_view end_text = next_word(line, position);
    const std::string_view flags_text = next_word(line, position);
    std::uint64_t start = 0, end_address = 0, flags = 0;
    if (flags_text.empty() || !parse_hex(start_text, start) || !parse_hex(end_text, end_address) ||
        !parse_hex(flags_text, flags)) {
      problem = path + ": line " + std::to_string(index + 1) + ": expected three hex numbers, got '" +
                std::string(line) + "'; BAR sizes from this file are ignored";
      return nullptr;
    }
    const std::uint64_t size = end_address > start ? end_address - start + 1 : 0;
    if (index == kRomLine) {
      rom = {{"present", size > 0}, {"size", size}};
      continue;
    }
    if (size == 0) continue;
    total += size;
    bars.push_back({{"index", index},
                    {"start", start},
                    {"size", size},
                    {"type", (flags & kIoResourceIo) ? "io" : (flags & kIoResourceMem) ? "mem" : "unknown"},
                    {"is_64bit", (flags & kIoResourceMem64) != 0},
                    {"prefetchable", (flags & kIoResourcePrefetch) != 0}});
  }
  return Json{{"bars", bars}, {"rom", rom}, {"bar_total", total}};
}

Json irq_number(const HostView& host, const std::string& device_path, std::string& problem) {
  const std::string path = device_path + "/irq";
  auto text = host.read_file(path, 64);
  if (!text) {
    problem = path + ": " + text.error().message;
    return nullptr;
  }
  const std::string number = trim(*text);
  char* stop = nullptr;
  const unsigned long value = std::strtoul(number.c_str(), &stop, 10);
  if (number.empty() || !std::isdigit(static_cast<unsigned char>(number.front())) || !stop || *stop != '\0' ||
      value > 0xffffffffUL) {
    problem = path + ": expected a decimal IRQ number, got '" + number + "'";
    return nullptr;
  }
  return static_cast<std::uint64_t>(value);
}

Json parent_bridge(const std::string& device_path) {
  const std::size_t slash = device_path.rfind('/');
  if (slash == std::string::npos || slash == 0) return nullptr;
  const std::string parent_dir = device_path.substr(0, slash);
  const std::string parent = parent_dir.substr(parent_dir.rfind('/') + 1);
  if (!is_bdf(parent)) return nullptr;
  return parent;
}

}  // namespace ptdoctor::pci
