#include "temp_tree.hpp"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace ptdoctor::testing {
namespace fs = std::filesystem;

TempTree::TempTree() {
  std::string base = (fs::temp_directory_path() / "ptdoctor-test-XXXXXX").string();
  if (::mkdtemp(base.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  ::chmod(base.c_str(), 0755);
  path_ = base;
}

TempTree::~TempTree() {
  std::error_code ec;
  // Make everything removable again (tests may drop permissions) before removing.
  for (auto it = fs::recursive_directory_iterator(path_, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) ::chmod(it->path().c_str(), 0755);
  }
  fs::remove_all(path_, ec);
}

std::string TempTree::at(std::string_view host_path) const {
  std::string relative(host_path);
  while (!relative.empty() && relative.front() == '/') relative.erase(0, 1);
  return relative.empty() ? path_ : path_ + "/" + relative;
}

std::string TempTree::write(std::string_view host_path, std::string_view contents, unsigned mode) const {
  std::string real = at(host_path);
  fs::create_directories(fs::path(real).parent_path());
  std::ofstream out(real, std::ios::binary | std::ios::trunc);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  out.close();
  ::chmod(real.c_str(), mode);
  return real;
}

void TempTree::mkdir(std::string_view host_path, unsigned mode) const {
  std::string real = at(host_path);
  fs::create_directories(real);
  ::chmod(real.c_str(), mode);
}

void TempTree::symlink(std::string_view host_path, std::string_view target) const {
  std::string real = at(host_path);
  fs::create_directories(fs::path(real).parent_path());
  std::error_code ec;
  fs::remove(real, ec);
  fs::create_symlink(std::string(target), real);
}

std::string TempTree::read(std::string_view host_path) const {
  std::ifstream in(at(host_path), std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool TempTree::exists(std::string_view host_path) const {
  struct stat st {};
  return ::lstat(at(host_path).c_str(), &st) == 0;
}

std::string fixture_host(std::string_view name) { return std::string(PTDOCTOR_TEST_FIXTURE_HOSTS_DIR) + "/" + std::string(name); }

std::string copy_fixture_host(std::string_view name, const TempTree& tree) {
  const std::string fixture = fixture_host(name);
  if (!std::filesystem::is_directory(fixture)) {
    // The same build generates it (ptdoctor_add_test depends on ptdoctor_fixtures): missing is a failure.
    throw std::runtime_error("no generated fixture " + fixture);
  }
  const std::string root = tree.at("/host");
  std::filesystem::copy(fixture, root,
                        std::filesystem::copy_options::recursive | std::filesystem::copy_options::copy_symlinks);
  return root;
}

std::string source_path(std::string_view relative) {
  return std::string(PTDOCTOR_TEST_SOURCE_DIR) + "/" + std::string(relative);
}

}  // namespace ptdoctor::testing
