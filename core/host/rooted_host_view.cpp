#include "host/rooted_host_view.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <cerrno>
#include <cstring>
#include <deque>
#include <optional>

#include "capped_read.hpp"
#include "scoped_fd.hpp"
#include "host/command_runner.hpp"
#include "host/path_util.hpp"

namespace ptdoctor::host {
namespace {

// Linux's own limit on links followed in one lookup.
constexpr int kMaxLinkHops = 40;

FileInfo to_file_info(const struct stat& st) {
  FileInfo info;
  if (S_ISREG(st.st_mode)) info.type = FileInfo::Type::kRegular;
  else if (S_ISDIR(st.st_mode)) info.type = FileInfo::Type::kDirectory;
  else if (S_ISLNK(st.st_mode)) info.type = FileInfo::Type::kSymlink;
  else if (S_ISCHR(st.st_mode)) info.type = FileInfo::Type::kCharDevice;
  info.size = static_cast<std::uint64_t>(st.st_size);
  info.mode = st.st_mode & 07777;
  info.uid = st.st_uid;
  return info;
}

bool is_dot_or_dotdot(const char* name) {
  return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

// A readdir d_type as a FileInfo type; nothing for DT_UNKNOWN, which the caller must look up itself.
std::optional<FileInfo::Type> dirent_type(unsigned char d_type) {
  switch (d_type) {
    case DT_REG: return FileInfo::Type::kRegular;
    case DT_DIR: return FileInfo::Type::kDirectory;
    case DT_LNK: return FileInfo::Type::kSymlink;
    case DT_CHR: return FileInfo::Type::kCharDevice;
    case DT_UNKNOWN: return std::nullopt;
    default: return FileInfo::Type::kOther;  // FIFO, socket, block device
  }
}

// Calls fn(name, d_type) for every entry of an open directory but "." and "..", in the order getdents64 gives them.
// readdir's own system call without the DIR stream around it: fdopendir cost an fstat, two fcntl and a 32 KiB
// buffer per listing (a large allocation that makes glibc consolidate its free lists), and the pci plugin lists a
// directory per function. A failed read ends the listing, as readdir's NULL ended it.
template <class Fn>
void for_each_entry(int fd, Fn&& fn) {
  alignas(struct dirent64) char buffer[32768];
  while (true) {
    const ssize_t n = ::getdents64(fd, buffer, sizeof buffer);
    if (n <= 0) return;
    for (ssize_t at = 0; at < n;) {
      // The kernel's linux_dirent64 records, which glibc's struct dirent64 mirrors field for field.
      unsigned short length = 0;
      unsigned char d_type = DT_UNKNOWN;
      std::memcpy(&length, buffer + at + offsetof(struct dirent64, d_reclen), sizeof length);
      std::memcpy(&d_type, buffer + at + offsetof(struct dirent64, d_type), sizeof d_type);
      const char* name = buffer + at + offsetof(struct dirent64, d_name);
      if (length == 0) return;  // cannot happen; never loop on it
      if (!is_dot_or_dotdot(name)) fn(name, d_type);
      at += length;
    }
  }
}

Result<std::string> read_all(int fd, std::size_t limit, const std::string& shown, std::size_t expected) {
  CappedRead read = read_capped(fd, limit, expected);
  if (read.error != 0) {
    ErrorKind kind = (read.error == EACCES || read.error == EPERM) ? ErrorKind::kPermissionDenied : ErrorKind::kIo;
    return make_error(kind, shown + ": read failed: " + std::strerror(read.error));
  }
  if (read.too_large) {
    return make_error(ErrorKind::kInvalidInput, shown + ": larger than " + std::to_string(limit) + " bytes, refused");
  }
  return std::move(read.data);
}

}  // namespace

Result<std::unique_ptr<RootedHostView>> RootedHostView::open(const std::string& root, HostViewOptions options) {
  std::string shown = root.empty() ? "/" : root;
  int fd = ::open(shown.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    ErrorKind kind = err == ENOENT ? ErrorKind::kNotFound
                     : err == EACCES ? ErrorKind::kPermissionDenied
                                     : ErrorKind::kInvalidInput;
    return make_error(kind, "host root " + shown + ": " + std::strerror(err));
  }
  struct stat root_stat {};
  struct stat slash_stat {};
  bool is_slash = ::fstat(fd, &root_stat) == 0 && ::stat("/", &slash_stat) == 0 &&
                  root_stat.st_dev == slash_stat.st_dev && root_stat.st_ino == slash_stat.st_ino;
  bool live = options.live.value_or(is_slash);
  return std::unique_ptr<RootedHostView>(new RootedHostView(shown, fd, live, options));
}

std::unique_ptr<RootedHostView> RootedHostView::sibling() const {
  const int fd = ::fcntl(root_fd_, F_DUPFD_CLOEXEC, 0);
  if (fd < 0) return nullptr;
  return std::unique_ptr<RootedHostView>(new RootedHostView(root_, fd, live_, options_));
}

RootedHostView::RootedHostView(std::string root, int root_fd, bool live, HostViewOptions options)
    : root_(std::move(root)), root_fd_(root_fd), live_(live), options_(options) {
  // A relative root ("--root build/hosts/x") must name the same tree to a library that opens real_path()
  // from another directory: the pci plugin points libpci at links in a temporary directory.
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(root_, ec);
  absolute_root_ = ec ? root_ : absolute.lexically_normal().string();
  // Decided once, here, rather than at the first failing open: resolver() then tells from the start which of the
  // two confinements this view uses. Opening the root itself cannot fail for any reason but a missing openat2
  // (ENOSYS before Linux 5.6; some container seccomp filters answer EPERM instead), so any failure means "missing".
  if (!options_.force_userspace_resolution) {
    open_how how{};
    how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    long fd = ::syscall(SYS_openat2, root_fd_, ".", &how, sizeof how);
    if (fd >= 0) {
      ::close(static_cast<int>(fd));
    } else {
      openat2_missing_ = true;
    }
  }
}

RootedHostView::Resolver RootedHostView::resolver() const {
  const bool userspace = options_.force_userspace_resolution || openat2_missing_ || resolved_in_userspace_;
  return userspace ? Resolver::kUserSpace : Resolver::kOpenat2;
}

RootedHostView::~RootedHostView() {
  if (parent_fd_ >= 0) ::close(parent_fd_);
  ::close(root_fd_);
}

RootedHostView::ParentAndName RootedHostView::parent_of(std::string_view path) const {
  std::string relative = relative_to_root(path);
  const std::size_t slash = relative.rfind('/');
  ParentAndName found;
  found.name = slash == std::string::npos ? relative : relative.substr(slash + 1);
  if (found.name.empty() || found.name == "." || found.name == "..") return found;
  relative.resize(slash == std::string::npos ? 0 : slash);
  if (parent_fd_ < 0 || relative != parent_path_) {
    if (parent_fd_ >= 0) ::close(parent_fd_);
    parent_fd_ = -1;
    auto opened = open_inside("/" + relative, O_PATH | O_DIRECTORY);
    if (!opened) return found;  // the full path gives the error, with its own wording
    parent_fd_ = *opened;
    parent_path_ = std::move(relative);
  }
  found.fd = parent_fd_;
  return found;
}

std::string RootedHostView::describe(std::string_view path) const {
  std::string normal = normalize_host_path(path);
  if (root_ == "/") return normal;
  std::string shown = root_;
  while (shown.size() > 1 && shown.back() == '/') shown.pop_back();
  return shown + normal;
}

Error RootedHostView::errno_error(std::string_view path, int err, std::string_view what) const {
  ErrorKind kind = ErrorKind::kIo;
  if (err == ENOENT || err == ENOTDIR) kind = ErrorKind::kNotFound;
  else if (err == EACCES || err == EPERM) kind = ErrorKind::kPermissionDenied;
  else if (err == EXDEV) kind = ErrorKind::kEscapesRoot;
  else if (err == ELOOP) kind = ErrorKind::kInvalidInput;
  std::string message = describe(path) + ": ";
  if (!what.empty()) message += std::string(what) + ": ";
  message += err == ELOOP ? "too many levels of symbolic links" : std::strerror(err);
  return make_error(kind, message);
}

Result<int> RootedHostView::open_inside(std::string_view path, int flags) const {
  std::string relative = relative_to_root(path);
  if (relative.empty()) relative = ".";
  if (!options_.force_userspace_resolution && !openat2_missing_) {
    open_how how{};
    how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    long fd = ::syscall(SYS_openat2, root_fd_, relative.c_str(), &how, sizeof how);
    if (fd >= 0) return static_cast<int>(fd);
    int err = errno;
    if (err == EAGAIN) return open_userspace(path, flags);  // openat2 asks to retry on concurrent renames
    if (err != ENOSYS) return errno_error(path, err, "");
    openat2_missing_ = true;  // a kernel before 5.6: resolve in user space from now on
  }
  resolved_in_userspace_ = true;
  return open_userspace(path, flags);
}

// Resolves every component inside the root: ".." stops at the root, absolute link targets restart at the root.
Result<std::string> RootedHostView::resolve(std::string_view path) const {
  if (auto quick = resolve_without_walk(path)) return std::move(*quick);
  std::deque<std::string> pending;
  for (auto& part : split_path(relative_to_root(path))) pending.push_back(std::move(part));
  std::vector<std::string> done;
  int hops = 0;
  while (!pending.empty()) {
    std::string part = std::move(pending.front());
    pending.pop_front();
    if (part == ".") continue;
    if (part == "..") {
      if (!done.empty()) done.pop_back();
      continue;
    }
    std::string candidate = join_path(done, part);
    struct stat st {};
    if (::fstatat(root_fd_, candidate.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      return errno_error(path, errno, "");
    }
    if (!S_ISLNK(st.st_mode)) {
      if (!pending.empty() && !S_ISDIR(st.st_mode)) return errno_error(path, ENOTDIR, "");
      done.push_back(std::move(part));
      continue;
    }
    if (++hops > kMaxLinkHops) return errno_error(path, ELOOP, "");
    std::string target(static_cast<std::size_t>(PATH_MAX), '\0');
    ssize_t n = ::readlinkat(root_fd_, candidate.c_str(), target.data(), target.size());
    if (n < 0) return errno_error(path, errno, "");
    target.resize(static_cast<std::size_t>(n));
    if (!target.empty() && target[0] == '/') done.clear();
    auto target_parts = split_path(target);
    pending.insert(pending.begin(), target_parts.begin(), target_parts.end());
  }
  return "/" + join_path(done, "");
}

namespace {

// The path resolve() gives for a relative path none of whose components is a link: "." dropped, ".." taking the
// previous component away and stopping at the root.
std::string lexical_form(std::string_view relative) {
  std::string resolved;
  resolved.reserve(relative.size() + 1);
  std::size_t start = 0;
  while (start < relative.size()) {
    std::size_t slash = relative.find('/', start);
    if (slash == std::string_view::npos) slash = relative.size();
    const std::string_view part = relative.substr(start, slash - start);
    start = slash + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      resolved.resize(resolved.empty() ? 0 : resolved.rfind('/'));
      continue;
    }
    resolved += '/';
    resolved += part;
  }
  return resolved.empty() ? "/" : resolved;
}

}  // namespace

// The walk in resolve() costs a stat per component (eleven system calls for a /sys/bus/pci/devices entry, per
// function). RESOLVE_NO_SYMLINKS makes openat2 fail (ELOOP) on any link on the way, the last component included
// (O_NOFOLLOW is not given), so its success says the path has no link: every ".." then climbs to the lexical
// parent, and the walk would give the lexical form, ".." stopping at the root as RESOLVE_IN_ROOT stops it. Two
// cases are answered so: no link at all, and a link in last place only (a bus entry, a driver link), whose target
// is read from its parent once the parent is confirmed free of links, and then confirmed the same way. The walk
// would follow that one link as its only hop, and its answer is the same. Anything else (another link, a missing
// component, no openat2) is left to the walk, which gives its own answer and messages.
std::optional<std::string> RootedHostView::resolve_without_walk(std::string_view path) const {
  if (options_.force_userspace_resolution || openat2_missing_) return std::nullopt;
  auto confirmed = [this](const std::string& relative, std::uint64_t flags) {
    open_how how{};
    how.flags = flags | O_PATH | O_CLOEXEC;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS;
    return static_cast<int>(::syscall(SYS_openat2, root_fd_, relative.empty() ? "." : relative.c_str(), &how,
                                      sizeof how));
  };
  const std::string relative = relative_to_root(path);
  const std::size_t slash = relative.rfind('/');
  const std::string parent = slash == std::string::npos ? std::string() : relative.substr(0, slash);
  const char* name = relative.c_str() + (slash == std::string::npos ? 0 : slash + 1);
  if (*name == '\0' || is_dot_or_dotdot(name)) {
    const int fd = confirmed(relative, 0);
    if (fd < 0) return std::nullopt;
    ::close(fd);
    return lexical_form(relative);
  }
  const int parent_fd = confirmed(parent, O_DIRECTORY);
  if (parent_fd < 0) return std::nullopt;
  char buffer[PATH_MAX];
  const ssize_t n = ::readlinkat(parent_fd, name, buffer, sizeof buffer);
  const int err = errno;
  ::close(parent_fd);
  if (n < 0) {
    // EINVAL: the last component is there and is not a link, in a parent without links.
    return err == EINVAL ? std::optional<std::string>(lexical_form(relative)) : std::nullopt;
  }
  const std::string_view target(buffer, static_cast<std::size_t>(n));
  const std::string joined =
      relative_to_root(!target.empty() && target[0] == '/' ? std::string(target) : parent + "/" + std::string(target));
  const int fd = confirmed(joined, 0);
  if (fd < 0) return std::nullopt;
  ::close(fd);
  return lexical_form(joined);
}

Result<int> RootedHostView::open_userspace(std::string_view path, int flags) const {
  auto resolved = resolve(path);
  if (!resolved) return resolved.error();
  std::string relative = relative_to_root(*resolved);
  if (relative.empty()) relative = ".";
  // Every component is a real directory or the final object (resolve() saw no link), so nothing is followed.
  int fd = ::openat(root_fd_, relative.c_str(), flags | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return errno_error(path, errno, "");
  return fd;
}

Result<int> RootedHostView::open_file(std::string_view path, int flags) const {
  // O_NOFOLLOW: a link in last place fails here (ELOOP) and is resolved inside the root by the full path.
  ParentAndName parent = parent_of(path);
  if (parent.fd >= 0) {
    int fd = ::openat(parent.fd, parent.name.c_str(), flags | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0) return fd;
    const int err = errno;
    if (!retry_on_full_path(err)) return errno_error(path, err, "");
  }
  return open_inside(path, flags);
}

Result<std::string> RootedHostView::read_file(std::string_view path, std::size_t limit) const {
  note_access(path);
  auto fd = open_file(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (!fd) return fd.error();
  ScopedFd file(*fd);
  struct stat st {};
  if (::fstat(file.get(), &st) != 0) return errno_error(path, errno, "stat");
  if (!S_ISREG(st.st_mode)) {
    return make_error(ErrorKind::kInvalidInput, describe(path) + ": not a regular file");
  }
  return read_all(file.get(), limit, describe(path), static_cast<std::size_t>(st.st_size));
}

Result<std::string> RootedHostView::read_at(std::string_view path, std::uint64_t offset, std::size_t length) const {
  note_access(path);
  auto fd = open_file(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (!fd) return fd.error();
  ScopedFd file(*fd);
  struct stat st {};
  if (::fstat(file.get(), &st) != 0) return errno_error(path, errno, "stat");
  if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode)) {
    return make_error(ErrorKind::kInvalidInput, describe(path) + ": not a regular file or character device");
  }
  std::string data(length, '\0');
  ssize_t n = ::pread(file.get(), data.data(), length, static_cast<off_t>(offset));
  if (n < 0) return errno_error(path, errno, "read at offset " + std::to_string(offset));
  data.resize(static_cast<std::size_t>(n));
  return data;
}

Result<int> RootedHostView::open_directory(std::string_view path) const {
  note_access(path);
  std::string relative = relative_to_root(path);
  const std::size_t slash = relative.rfind('/');
  const std::string_view parent(relative.data(), slash == std::string::npos ? 0 : slash);
  const char* name = relative.c_str() + (slash == std::string::npos ? 0 : slash + 1);
  if (parent_fd_ >= 0 && parent == parent_path_ && !is_dot_or_dotdot(name) && *name != '\0') {
    // O_NOFOLLOW: a link in last place fails here (ELOOP) and is resolved inside the root by the full path.
    int fd = ::openat(parent_fd_, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0) return fd;
    const int err = errno;
    if (!retry_on_full_path(err)) return errno_error(path, err, "");
  }
  // Not through a parent opened for it: the reads that follow a listing are mostly in the directory listed (the
  // pci plugin lists a device, then reads its files), which keep_listed() keeps instead.
  return open_inside(path, O_RDONLY | O_DIRECTORY);
}

void RootedHostView::keep_listed(std::string_view path, int fd) const {
  if (parent_fd_ >= 0) ::close(parent_fd_);
  parent_fd_ = fd;
  parent_path_ = relative_to_root(path);
}

Result<std::vector<std::string>> RootedHostView::list_dir(std::string_view path) const {
  auto fd = open_directory(path);
  if (!fd) return fd.error();
  std::vector<std::string> names;
  for_each_entry(*fd, [&](const char* name, unsigned char) { names.emplace_back(name); });
  keep_listed(path, *fd);
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::vector<DirEntry>> RootedHostView::list_dir_entries(std::string_view path) const {
  auto fd = open_directory(path);
  if (!fd) return fd.error();
  std::vector<DirEntry> entries;
  int failed = 0;
  std::string failed_name;
  for_each_entry(*fd, [&](const char* name, unsigned char d_type) {
    if (failed != 0) return;
    std::optional<FileInfo::Type> type;
    if (!options_.ignore_dirent_types) type = dirent_type(d_type);
    if (!type) {
      // No type from the listing: the entry itself, relative to the directory read, never following a link.
      struct stat st {};
      if (::fstatat(*fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) return;  // removed since the listing saw it, as a later listing would show
        failed = errno;
        failed_name = name;
        return;
      }
      type = to_file_info(st).type;
    }
    entries.push_back({name, *type});
  });
  if (failed != 0) {
    ::close(*fd);
    return errno_error(std::string(path) + "/" + failed_name, failed, "type of a listed entry");
  }
  keep_listed(path, *fd);
  std::sort(entries.begin(), entries.end(), [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return entries;
}

Result<std::string> RootedHostView::read_link(std::string_view path) const {
  note_access(path);
  // parent_of names the path's last component as split_path would; only without a usable parent (".", ".." or
  // nothing last, or a parent that does not open) is the path taken apart here.
  ParentAndName cached = parent_of(path);
  int dir_fd = cached.fd;
  std::string name = std::move(cached.name);
  std::optional<ScopedFd> own_dir;  // "." or ".." last: the parent is opened for this call only, as before
  if (dir_fd < 0) {
    auto parts = split_path(relative_to_root(path));
    if (parts.empty()) return make_error(ErrorKind::kInvalidInput, describe(path) + ": not a symbolic link");
    name = parts.back();
    parts.pop_back();
    auto parent = open_inside("/" + join_path(parts, ""), O_PATH | O_DIRECTORY);
    if (!parent) return parent.error();
    own_dir.emplace(*parent);
    dir_fd = own_dir->get();
  }
  // On the stack: a PATH_MAX string, zeroed and then cut, was a 4 KiB allocation per link read.
  char target[PATH_MAX];
  ssize_t n = ::readlinkat(dir_fd, name.c_str(), target, sizeof target);
  if (n < 0) {
    int err = errno;
    if (err == EINVAL) return make_error(ErrorKind::kInvalidInput, describe(path) + ": not a symbolic link");
    return errno_error(path, err, "");
  }
  return std::string(target, static_cast<std::size_t>(n));
}

Result<FileInfo> RootedHostView::stat(std::string_view path) const {
  note_access(path);  // existence is a fact too ("is pciback loaded?"): snapshots must keep such paths
  ParentAndName parent = parent_of(path);
  if (parent.fd >= 0) {
    struct stat st {};
    // Not following: a link in last place is followed inside the root by the full path below.
    const int failed = ::fstatat(parent.fd, parent.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 ? 0 : errno;
    if (failed == 0 && !S_ISLNK(st.st_mode)) return to_file_info(st);
    if (failed != 0 && !retry_on_full_path(failed)) return errno_error(path, failed, "");
  }
  auto fd = open_inside(path, O_PATH);
  if (!fd) return fd.error();
  ScopedFd file(*fd);
  struct stat st {};
  if (::fstat(file.get(), &st) != 0) return errno_error(path, errno, "stat");
  return to_file_info(st);
}

bool RootedHostView::exists(std::string_view path) const { return stat(path).ok(); }

Result<std::string> RootedHostView::capture(std::string_view capture_name) const {
  std::string name(capture_name);
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
    return make_error(ErrorKind::kInvalidInput, "bad capture name '" + name + "'");
  }
  std::string path = std::string(kCaptureDir) + "/" + name;
  auto data = read_file(path, kDefaultReadLimit);
  if (!data && data.error().kind == ErrorKind::kNotFound) {
    return make_error(ErrorKind::kNotCaptured, "no capture " + describe(path));
  }
  return data;
}

Result<std::string> RootedHostView::command_output(std::string_view capture_name,
                                                   const std::vector<std::string>& argv,
                                                   std::chrono::milliseconds timeout) const {
  auto captured = capture(capture_name);
  if (captured || captured.error().kind != ErrorKind::kNotCaptured) return captured;
  std::string shown;
  for (const auto& arg : argv) shown += (shown.empty() ? "" : " ") + arg;
  if (!live_) {
    return make_error(ErrorKind::kNotCaptured,
                      "`" + shown + "` not captured: no " + describe(std::string(kCaptureDir) + "/" +
                                                                  std::string(capture_name)));
  }
  if (options_.record_accesses) accessed_.insert("command:" + shown);
  CommandLimits limits;
  limits.timeout = timeout.count() > 0 ? timeout : options_.default_timeout;
  return run_command(argv, limits);
}

std::string RootedHostView::real_path(std::string_view path) const {
  std::string relative = relative_to_root(path);
  std::string base = absolute_root_;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  if (base == "/") return "/" + relative;
  return relative.empty() ? base : base + "/" + relative;
}

std::vector<std::string> RootedHostView::accessed() const { return {accessed_.begin(), accessed_.end()}; }

void RootedHostView::add_accessed(const RootedHostView& other) const {
  if (options_.record_accesses) accessed_.insert(other.accessed_.begin(), other.accessed_.end());
}

void RootedHostView::note_access(std::string_view path) const {
  if (options_.record_accesses) accessed_.insert(normalize_host_path(path));
}

}  // namespace ptdoctor::host
