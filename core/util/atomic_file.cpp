#include "atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "fd_stream.hpp"

namespace ptdoctor {
namespace {

Error io_error(const std::string& path, const std::string& what) {
  int err = errno;
  return make_error(err == EACCES || err == EPERM ? ErrorKind::kPermissionDenied : ErrorKind::kIo,
                    path + ": " + what + ": " + std::strerror(err));
}

}  // namespace

Status write_file_atomically(const std::string& path, const std::string& contents, std::optional<unsigned> mode) {
  return write_file_atomically_from(
      path, [&contents](int fd) { return write_all(fd, contents.data(), contents.size()); }, mode);
}

Status write_file_atomically_from(const std::string& path, const std::function<int(int fd)>& fill,
                                  std::optional<unsigned> mode) {
  namespace fs = std::filesystem;
  fs::path target(path);
  fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  unsigned final_mode = 0644;
  struct stat existing {};
  if (mode) final_mode = *mode;
  else if (::stat(path.c_str(), &existing) == 0) final_mode = existing.st_mode & 07777;

  std::string temp = (dir / ("." + target.filename().string() + ".ptdoctor-XXXXXX")).string();
  int fd = ::mkstemp(temp.data());
  // Named by the path the caller gave: the temporary name is ours, and the user did not write it (UX finding 28).
  if (fd < 0) return io_error(path, "cannot create it in " + dir.string());
  auto fail = [&](const std::string& what) {
    Error error = io_error(path, what);
    ::close(fd);
    ::unlink(temp.c_str());
    return error;
  };
  int write_error = 0;
  try {
    write_error = fill(fd);
  } catch (...) {
    ::close(fd);  // the old file stays as it was
    ::unlink(temp.c_str());
    throw;
  }
  if (write_error != 0) {
    errno = write_error;
    return fail("write");
  }
  if (::fchmod(fd, final_mode) != 0) return fail("chmod");
  if (::fsync(fd) != 0) return fail("fsync");
  if (::close(fd) != 0) {
    Error error = io_error(path, "close");
    ::unlink(temp.c_str());
    return error;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    Error error = io_error(path, "rename");
    ::unlink(temp.c_str());
    return error;
  }
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);  // makes the rename itself durable
    ::close(dir_fd);
  }
  return Ok{};
}

}  // namespace ptdoctor
