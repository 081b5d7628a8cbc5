#pragma once
// A stream buffer that writes to a file descriptor through a fixed buffer: for output too big to build as one
// string first (`facts` on a host of thousands of PCI functions prints over 100 MB). pubsync() writes it out.
#include <array>
#include <cstddef>
#include <streambuf>

namespace ptdoctor {

// Writes all `size` bytes, retrying short and interrupted writes. Returns 0, or the errno of the write that failed.
int write_all(int fd, const char* data, std::size_t size);

class FdStreamBuf : public std::streambuf {
 public:
  explicit FdStreamBuf(int fd);
  ~FdStreamBuf() override;
  FdStreamBuf(const FdStreamBuf&) = delete;
  FdStreamBuf& operator=(const FdStreamBuf&) = delete;
  // The errno of the first write that failed, 0 while every write succeeded. Later output is dropped.
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override;
  int sync() override;

 private:
  bool drain();

  int fd_;
  int error_ = 0;
  std::array<char, 64 * 1024> buffer_{};
};

}  // namespace ptdoctor
