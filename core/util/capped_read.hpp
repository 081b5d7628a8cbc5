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

CappedRead read_capped(int fd, std::size_t limit);

}  // namespace ptdoctor
