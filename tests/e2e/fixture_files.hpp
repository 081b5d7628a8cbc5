#pragma once
// Reading the generated fixture trees (PTDOCTOR_FIXTURE_HOSTS_DIR) in the fixture_*_test.cpp checks.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>

namespace ptdoctor::testing {

// A file's bytes, empty when it cannot be read.
inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The whitespace-separated words of a text.
inline std::set<std::string> words(const std::string& text) {
  std::istringstream in(text);
  return {std::istream_iterator<std::string>(in), std::istream_iterator<std::string>()};
}

}  // namespace ptdoctor::testing
