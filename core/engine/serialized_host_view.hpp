#pragma once
// A HostView that one plugin on a helper thread and the plugins on the main thread can share: every call goes to
// the wrapped view under one mutex. The views are not thread-safe (RootedHostView caches the last parent
// directory's descriptor and records what was read), and the calls are short reads, so taking turns costs little.
#include <mutex>

#include "ptdoctor/host_view.hpp"

namespace ptdoctor::engine {

class SerializedHostView final : public HostView {
 public:
  explicit SerializedHostView(const HostView& view) : view_(view) {}

  const std::string& root() const override { return view_.root(); }
  bool live() const override { return view_.live(); }
  Result<std::string> read_file(std::string_view path, std::size_t limit) const override {
    std::lock_guard lock(mutex_);
    return view_.read_file(path, limit);
  }
  Result<std::string> read_at(std::string_view path, std::uint64_t offset, std::size_t length) const override {
    std::lock_guard lock(mutex_);
    return view_.read_at(path, offset, length);
  }
  Result<std::vector<std::string>> list_dir(std::string_view path) const override {
    std::lock_guard lock(mutex_);
    return view_.list_dir(path);
  }
  Result<std::vector<DirEntry>> list_dir_entries(std::string_view path) const override {
    std::lock_guard lock(mutex_);
    return view_.list_dir_entries(path);
  }
  Result<std::string> read_link(std::string_view path) const override {
    std::lock_guard lock(mutex_);
    return view_.read_link(path);
  }
  Result<std::string> resolve(std::string_view path) const override {
    std::lock_guard lock(mutex_);
    return view_.resolve(path);
  }
  Result<FileInfo> stat(std::string_view path) const override {
    std::lock_guard lock(mutex_);
    return view_.stat(path);
  }
  bool exists(std::string_view path) const override {
    std::lock_guard lock(mutex_);
    return view_.exists(path);
  }
  Result<std::string> command_output(std::string_view capture_name, const std::vector<std::string>& argv,
                                     std::chrono::milliseconds timeout) const override {
    std::lock_guard lock(mutex_);
    return view_.command_output(capture_name, argv, timeout);
  }
  Result<std::string> capture(std::string_view capture_name) const override {
    std::lock_guard lock(mutex_);
    return view_.capture(capture_name);
  }
  std::string real_path(std::string_view path) const override {
    std::lock_guard lock(mutex_);
    return view_.real_path(path);
  }
  std::vector<std::string> accessed() const override {
    std::lock_guard lock(mutex_);
    return view_.accessed();
  }
  void note_access(std::string_view path) const override {
    std::lock_guard lock(mutex_);
    view_.note_access(path);
  }

 private:
  const HostView& view_;
  mutable std::mutex mutex_;
};

}  // namespace ptdoctor::engine
