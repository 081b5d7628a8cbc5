#pragma once
// The HostView over a directory tree laid out like "/" (the live machine when the root is "/").
// Confinement: opens go through openat2(RESOLVE_IN_ROOT) so that ".." and symlinks (absolute or relative) are
// resolved as if the root were "/"; where the kernel lacks openat2, the same resolution is done in user space,
// one component at a time, never following a link with the kernel.
#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "ptdoctor/host_view.hpp"

namespace ptdoctor::host {

struct HostViewOptions {
  // Whether commands may be run when no capture exists. Defaults to "root is /".
  std::optional<bool> live;
  // Tests force the user-space resolver to cover machines without openat2.
  bool force_userspace_resolution = false;
  std::chrono::milliseconds default_timeout{10000};
};

class RootedHostView final : public HostView {
 public:
  // Fails when the root is not a readable directory.
  static Result<std::unique_ptr<RootedHostView>> open(const std::string& root, HostViewOptions options = {});
  ~RootedHostView() override;

  const std::string& root() const override { return root_; }
  bool live() const override { return live_; }
  Result<std::string> read_file(std::string_view path, std::size_t limit) const override;
  Result<std::string> read_at(std::string_view path, std::uint64_t offset, std::size_t length) const override;
  Result<std::vector<std::string>> list_dir(std::string_view path) const override;
  Result<std::string> read_link(std::string_view path) const override;
  Result<std::string> resolve(std::string_view path) const override;
  Result<FileInfo> stat(std::string_view path) const override;
  bool exists(std::string_view path) const override;
  Result<std::string> command_output(std::string_view capture_name, const std::vector<std::string>& argv,
                                     std::chrono::milliseconds timeout) const override;
  Result<std::string> capture(std::string_view capture_name) const override;
  std::string real_path(std::string_view path) const override;
  std::vector<std::string> accessed() const override;
  void note_access(std::string_view path) const override;

  // Where captures live inside a root.
  static constexpr const char* kCaptureDir = "/.ptdoctor/capture";

 private:
  RootedHostView(std::string root, int root_fd, bool live, HostViewOptions options);
  // Opens a host path inside the root; flags as for open(2). Returns the fd or an error naming the path.
  Result<int> open_inside(std::string_view path, int flags) const;
  Result<int> open_userspace(std::string_view path, int flags) const;
  std::string describe(std::string_view path) const;
  Error errno_error(std::string_view path, int err, std::string_view what) const;

  std::string root_;
  int root_fd_;
  bool live_;
  HostViewOptions options_;
  mutable bool openat2_missing_ = false;
  mutable std::set<std::string> accessed_;
};

}  // namespace ptdoctor::host
