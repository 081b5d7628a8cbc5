#pragma once
// A private temporary directory for a test, removed with everything in it when the test ends, with helpers to lay
// out small host trees ("/proc/cmdline" -> file under the temp root).
#include <string>
#include <string_view>

namespace ptdoctor::testing {

class TempTree {
 public:
  TempTree();
  ~TempTree();
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;

  const std::string& path() const { return path_; }
  // The real path of a host path inside the tree.
  std::string at(std::string_view host_path) const;
  // Writes a file (creating directories) and returns its real path.
  std::string write(std::string_view host_path, std::string_view contents, unsigned mode = 0644) const;
  void mkdir(std::string_view host_path, unsigned mode = 0755) const;
  // A symlink at host_path whose stored target is exactly `target`.
  void symlink(std::string_view host_path, std::string_view target) const;
  std::string read(std::string_view host_path) const;
  bool exists(std::string_view host_path) const;

 private:
  std::string path_;
};

// Root of a generated fixture host (tests/fixtures/make_host_roots.py).
std::string fixture_host(std::string_view name);
// A writable copy of that fixture host at <tree>/host (links kept as links); returns its path. Throws (a test
// failure) when the fixture was not generated.
std::string copy_fixture_host(std::string_view name, const TempTree& tree);
// Path of a source-tree file, relative to the repository root.
std::string source_path(std::string_view relative);

}  // namespace ptdoctor::testing
