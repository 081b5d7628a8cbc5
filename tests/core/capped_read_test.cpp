// read_capped: the bytes of the file, whatever size it claimed beforehand (the hint may be stale: a file that grew
// or shrank since fstat, or one that says nothing), and refused one byte past the cap; the sized path for files
// larger than one 64 KiB chunk held to the chunked one.
#include <fcntl.h>
#include <unistd.h>

#include <random>
#include <string>

#include <gtest/gtest.h>

#include "capped_read.hpp"
#include "temp_tree.hpp"

namespace ptdoctor {
namespace {

TEST(CappedRead, GivesTheFileWhateverSizeItClaimed) {
  testing::TempTree tree;
  std::mt19937 random(65537);
  const std::size_t sizes[] = {0, 1, 65535, 65536, 65537, 131072, 200001};
  for (std::size_t size : sizes) {
    std::string contents(size, '\0');
    for (char& byte : contents) byte = static_cast<char>(random());
    const std::string path = tree.write("/f-" + std::to_string(size), contents);
    // The hint as fstat gave it, stale either way, or absent; and the sized path's own edges.
    const std::size_t hints[] = {0, size, size / 2, size * 2 + 1, 65537, 100000};
    const std::size_t limits[] = {size == 0 ? 0 : size - 1, size, size + 1, std::size_t{1} << 22};
    for (std::size_t hint : hints) {
      for (std::size_t limit : limits) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        ASSERT_GE(fd, 0);
        CappedRead read = read_capped(fd, limit, hint);
        ::close(fd);
        EXPECT_EQ(read.error, 0);
        if (size > limit) {
          EXPECT_TRUE(read.too_large) << size << " " << hint << " " << limit;
        } else {
          EXPECT_FALSE(read.too_large) << size << " " << hint << " " << limit;
          EXPECT_TRUE(read.data == contents) << size << " " << hint << " " << limit;
        }
      }
    }
  }
}

TEST(CappedRead, AReadErrorIsReportedNotHidden) {
  // A directory opened for reading: read() fails with EISDIR on both paths.
  for (std::size_t hint : {std::size_t{0}, std::size_t{1} << 20}) {
    const int fd = ::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    CappedRead read = read_capped(fd, 1 << 20, hint);
    ::close(fd);
    EXPECT_EQ(read.error, EISDIR) << hint;
    EXPECT_FALSE(read.too_large);
  }
}

}  // namespace
}  // namespace ptdoctor
