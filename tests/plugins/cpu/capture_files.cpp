#include "capture_files.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "temp_tree.hpp"

namespace ptdoctor::cpu::testing {

std::string capture_file(const std::string& name) {
  const std::string path = ptdoctor::testing::source_path("tests/plugins/cpu/captures/" + name);
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return {};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string msr_device_bytes(std::uint32_t msr, std::uint64_t value) {
  std::string bytes(msr, '\0');
  for (int i = 0; i < 8; ++i) bytes += static_cast<char>((value >> (8 * i)) & 0xff);
  return bytes;
}

}  // namespace ptdoctor::cpu::testing
