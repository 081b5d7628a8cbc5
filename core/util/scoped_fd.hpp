#pragma once
// A file descriptor closed when its owner goes, whichever way the code that opened it leaves.
#include <unistd.h>

namespace ptdoctor {

class ScopedFd {
 public:
  explicit ScopedFd(int fd = -1) : fd_(fd) {}
  ~ScopedFd() { reset(); }
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  int get() const { return fd_; }
  // Closes it now (a pipe's write end, so that its reader sees the end).
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

}  // namespace ptdoctor
