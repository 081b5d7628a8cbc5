#include "capped_read.hpp"

#include <unistd.h>

#include <cerrno>

namespace ptdoctor {

CappedRead read_capped(int fd, std::size_t limit) {
  CappedRead read;
  char buffer[65536];
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
