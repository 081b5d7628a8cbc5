#include "input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "capped_read.hpp"

namespace ptdoctor {
namespace {

const char* type_name(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

Error open_error(const std::string& path, const InputKind& kind, int err) {
  ErrorKind error_kind = err == ENOENT || err == ENOTDIR ? ErrorKind::kNotFound
                         : err == EACCES || err == EPERM ? ErrorKind::kPermissionDenied
                                                         : ErrorKind::kIo;
  return make_error(error_kind, path + ": cannot open the " + kind.what + ": " + std::strerror(err));
}

Error not_regular(const std::string& path, const InputKind& kind, mode_t mode) {
  return make_error(ErrorKind::kInvalidInput, path + ": is " + type_name(mode) + ", not a regular file; a " +
                                                  kind.what + " is read only from a regular file of at most " +
                                                  format_bytes(kind.max_bytes));
}

Error too_large(const std::string& path, const InputKind& kind) {
  return make_error(ErrorKind::kInvalidInput, path + ": larger than the " + format_bytes(kind.max_bytes) +
                                                  " limit for a " + kind.what + "; is it the right file?");
}

// Opens without blocking and checks type and size; the descriptor is the caller's to close.
Result<int> open_checked(const std::string& path, const InputKind& kind) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer before fstat could refuse it.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return open_error(path, kind, errno);
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    Error error = open_error(path, kind, errno);
    ::close(fd);
    return error;
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd);
    return not_regular(path, kind, info.st_mode);
  }
  if (static_cast<std::uint64_t>(info.st_size) > kind.max_bytes) {
    ::close(fd);
    return too_large(path, kind);
  }
  return fd;
}

}  // namespace

Status check_input_file(const std::string& path, const InputKind& kind) {
  auto fd = open_checked(path, kind);
  if (!fd) return fd.error();
  ::close(*fd);
  return Ok{};
}

std::string format_bytes(std::size_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= (1u << 10) && bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

Result<std::string> read_input_file(const std::string& path, const InputKind& kind) {
  auto opened = open_checked(path, kind);
  if (!opened) return opened.error();
  const int fd = *opened;
  CappedRead read = read_capped(fd, kind.max_bytes);
  ::close(fd);
  if (read.error != 0) {
    return make_error(ErrorKind::kIo, path + ": read error in the " + std::string(kind.what) + ": " +
                                          std::strerror(read.error));
  }
  if (read.too_large) return too_large(path, kind);
  return std::move(read.data);
}

}  // namespace ptdoctor
