#pragma once
// A host view where nothing exists: every file, directory and link is absent (kNotFound, naming the path), no
// command runs and no capture is recorded. A test derives from it and overrides only the answers it is about (an
// EIO from one device file, a permission error on a table, one command's output), for the states a fixture tree
// cannot hold.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ptdoctor/host_view.hpp"

namespace ptdoctor::testing {

class AbsentHostView : public HostView {
 public:
  const std::string& root() const override { return root_; }
  bool live() const override { return false; }
  Result<std::string> read_file(std::string_view path, std::size_t) const override { return absent(path); }
  Result<std::string> read_at(std::string_view path, std::uint64_t, std::size_t) const override {
    return absent(path);
  }
  Result<std::vector<std::string>> list_dir(std::string_view path) const override { return absent(path); }
  Result<std::vector<DirEntry>> list_dir_entries(std::string_view path) const override { return absent(path); }
  Result<std::string> read_link(std::string_view path) const override { return absent(path); }
  Result<std::string> resolve(std::string_view path) const override { return absent(path); }
  Result<FileInfo> stat(std::string_view path) const override { return absent(path); }
  bool exists(std::string_view) const override { return false; }
  Result<std::string> command_output(std::string_view capture_name, const std::vector<std::string>&,
                                     std::chrono::milliseconds) const override {
    return make_error(ErrorKind::kNotCaptured, std::string(capture_name));
  }
  Result<std::string> capture(std::string_view capture_name) const override {
    return make_error(ErrorKind::kNotCaptured, std::string(capture_name));
  }
  std::string real_path(std::string_view path) const override { return std::string(path); }
  std::vector<std::string> accessed() const override { return {}; }
  void note_access(std::string_view) const override {}

 protected:
  static Error absent(std::string_view path) { return make_error(ErrorKind::kNotFound, std::string(path)); }
  std::string root_ = "/";
};

}  // namespace ptdoctor::testing
