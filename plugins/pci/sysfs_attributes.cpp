#include "sysfs_attributes.hpp"

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sysfs_guard.hpp"

namespace ptdoctor::pci {
namespace {

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\0')) text.pop_back();
  while (!text.empty() && text.front() == ' ') text.erase(text.begin());
  return text;
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
  // The words as `std::istream >> std::string` reads them (next_word), without a stream per function.
  std::size_t position = 0;
  for (std::string_view word = next_word(*text, position); !word.empty(); word = next_word(*text, position)) {
    methods.push_back(std::string(word));
  }
  return methods;
}

bool resources(const HostView& host, const std::string& device_path, Resources& out, std::string& problem) {
  const std::string path = device_path + "/resource";
  auto text = host.read_file(path, 1 << 16);
  if (!text) {
    problem = path + ": " + text.error().message;
    return false;
  }
  std::string bad_line = parse_resources(*text, out);
  if (bad_line.empty()) return true;
  problem = path + ": " + bad_line + "; BAR sizes from this file are ignored";
  return false;
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
