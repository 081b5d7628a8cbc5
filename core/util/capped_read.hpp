#pragma once
// Reading a file descriptor to its end under a size cap, shared by the host view and the command-line inputs.
// One byte past the cap is read, so a file that grows while read (or lies in st_size, like /proc) is still refused.
#include <cstddef>
#include <string>

namespace ptdoctor {

struct CappedRead {
  std::string data;
  int error = 0;           // errno of a failed read (EINTR is retried), 0 otherwise
  bool too_large = false;  // more than the cap was there
};

// expected: the size the file says it has (a regular file's st_size), or 0 when it cannot tell (/proc, sysfs).
// Only a hint: the file is read to its end either way.
CappedRead read_capped(int fd, std::size_t limit, std::size_t expected = 0);

}  // namespace ptdoctor
