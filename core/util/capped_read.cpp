#include "capped_read.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace ptdoctor {
namespace {

constexpr std::size_t kChunk = 65536;

// A file that says it is larger than one chunk is read straight into a string of its size (and the one byte that
// tells whether it grew or passes the cap). Appending chunk by chunk let the string grow by doubling, each time
// into fresh pages: the 1 MB of dpkg's status cost ~3 MB of page faults and copies, a sixth of a live `check`'s
// page faults (perf, docs/performance.md).
CappedRead read_sized(int fd, std::size_t limit, std::size_t expected) {
  CappedRead read;
  read.data.resize(std::min(expected, limit) + 1);
  std::size_t used = 0;
  while (true) {
    if (used == read.data.size()) read.data.resize(std::min(limit + 1, used * 2));  // it grew since fstat
    const ssize_t n = ::read(fd, read.data.data() + used, read.data.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      read.error = errno;
      read.data.resize(used);
      return read;
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
    if (used > limit) {
      read.too_large = true;
      break;
    }
  }
  read.data.resize(used);
  return read;
}

}  // namespace

CappedRead read_capped(int fd, std::size_t limit, std::size_t expected) {
  if (expected > kChunk) return read_sized(fd, limit, expected);
  CappedRead read;
  char buffer[kChunk];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      read.error = errno;
      return read;
    }
    if (n == 0) return read;
    read.data.append(buffer, static_cast<std::size_t>(n));
    if (read.data.size() > limit) {
      read.too_large = true;
      return read;
    }
  }
}

}  // namespace ptdoctor
