#pragma once
// The HostView over a directory tree laid out like "/" (the live machine when the root is "/").
// Confinement: opens go through openat2(RESOLVE_IN_ROOT) so that ".." and symlinks (absolute or relative) are
// resolved as if the root were "/"; where the kernel lacks openat2, the same resolution is done in user space,
// one component at a time, never following a link with the kernel.
#include <dirent.h>

#include <cerrno>
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
  // Whether accessed() lists what was read. Only `ptdoctor snapshot` reads the list, and keeping one path string
  // per file read costs memory in proportion to the functions (1,024 of them: ~23,500 paths): the CLI turns it
  // off for every other command.
  bool record_accesses = true;
  // Tests: type every listed entry with fstatat, as list_dir_entries does where readdir answers DT_UNKNOWN
  // (readdir(3): only some file systems, among them Btrfs and ext2-4, fill in d_type; XFS without ftype, some
  // FUSE and network file systems do not), so that the fallback runs on a file system that would not take it.
  bool ignore_dirent_types = false;
};

class RootedHostView final : public HostView {
 public:
  // Fails when the root is not a readable directory.
  static Result<std::unique_ptr<RootedHostView>> open(const std::string& root, HostViewOptions options = {});
  ~RootedHostView() override;
  // Another view of the same tree, with the same options, for another thread: a view is not thread-safe (it
  // keeps the last parent directory's descriptor and the list of what was read), two views share nothing. What
  // the sibling reads is in its own accessed(). Null when the root's descriptor cannot be duplicated.
  std::unique_ptr<RootedHostView> sibling() const;
  // Adds what another view read (a sibling's accessed()) to this one's list.
  void add_accessed(const RootedHostView& other) const;

  const std::string& root() const override { return root_; }
  bool live() const override { return live_; }
  Result<std::string> read_file(std::string_view path, std::size_t limit) const override;
  Result<std::string> read_at(std::string_view path, std::uint64_t offset, std::size_t length) const override;
  Result<std::vector<std::string>> list_dir(std::string_view path) const override;
  Result<std::vector<DirEntry>> list_dir_entries(std::string_view path) const override;
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

  // Which confinement this view's opens go through: openat2(RESOLVE_IN_ROOT), or the user-space walk (forced by
  // the options, or the kernel has no openat2). Tests assert it, so that a run meant for openat2 that fell back is
  // seen as such rather than passing for an openat2 run.
  enum class Resolver { kOpenat2, kUserSpace };
  Resolver resolver() const;

  // Where captures live inside a root.
  static constexpr const char* kCaptureDir = "/.ptdoctor/capture";

 private:
  RootedHostView(std::string root, int root_fd, bool live, HostViewOptions options);
  // Opens a host path inside the root; flags as for open(2). Returns the fd or an error naming the path.
  Result<int> open_inside(std::string_view path, int flags) const;
  Result<int> open_userspace(std::string_view path, int flags) const;
  // resolve()'s answer from openat2 alone when the path has no link, or one in last place only; nothing otherwise.
  std::optional<std::string> resolve_without_walk(std::string_view path) const;
  // The fast path for a path whose last component is not a link: an fd of its parent directory (opened inside
  // the root as any path is, and kept while the next paths are in the same directory) and the last component.
  // A device's attributes are read one after another: the parent is resolved once instead of once per file. A
  // directory just listed is kept the same way (keep_listed), for the reads in it that follow the listing.
  // fd is -1 when there is no usable parent ("/", "." or ".." last): the caller takes the full path.
  struct ParentAndName {
    int fd = -1;
    std::string name;
  };
  ParentAndName parent_of(std::string_view path) const;
  // Opens a file or directory (flags as for open(2), without O_PATH) by the fast path when it can.
  Result<int> open_file(std::string_view path, int flags) const;
  // Whether a failed fast-path call must be retried on the full path: every error but "no such file" (which the
  // full path would give as well) may come from a link in last place or a kernel without O_NOFOLLOW semantics.
  static bool retry_on_full_path(int err) { return err != ENOENT; }
  // A directory opened inside the root for listing, the access noted; the caller closes it or keeps it.
  Result<int> open_directory(std::string_view path) const;
  // Keeps a directory just listed (its fd) as the parent of the paths that follow, closing the one kept before.
  void keep_listed(std::string_view path, int fd) const;
  std::string describe(std::string_view path) const;
  Error errno_error(std::string_view path, int err, std::string_view what) const;

  std::string root_;           // as the user named it, for messages
  std::string absolute_root_;  // for real_path(): libpci opens it from wherever it likes (see open())
  int root_fd_;
  bool live_;
  HostViewOptions options_;
  mutable bool openat2_missing_ = false;
  mutable bool resolved_in_userspace_ = false;  // an open went through the user-space walk (EAGAIN retries aside)
  mutable std::string parent_path_;  // the cached parent directory (relative to the root) and its O_PATH fd
  mutable int parent_fd_ = -1;
  mutable std::set<std::string> accessed_;
};

}  // namespace ptdoctor::host
