#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <gtest/gtest.h>

#include "atomic_file.hpp"
#include "fd_stream.hpp"
#include "temp_tree.hpp"

namespace ptdoctor {
namespace {

TEST(AtomicFile, ReplacesContentsAndKeepsTheMode) {
  testing::TempTree tree;
  std::string path = tree.write("/etc/default/grub", "old\n", 0600);
  ASSERT_TRUE(write_file_atomically(path, "new\n").ok());
  EXPECT_EQ(tree.read("/etc/default/grub"), "new\n");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST(AtomicFile, LeavesNoTemporaryFilesBehind) {
  testing::TempTree tree;
  tree.mkdir("/out");
  ASSERT_TRUE(write_file_atomically(tree.at("/out/report.json"), "{}\n", 0644).ok());
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(tree.at("/out"))) ++count;
  EXPECT_EQ(count, 1u);
}

TEST(AtomicFile, MissingDirectoryIsAnErrorNamingThePath) {
  testing::TempTree tree;
  auto status = write_file_atomically(tree.at("/no/such/dir/file"), "x");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("/no/such/dir"), std::string::npos) << status.error().message;
  // The path the caller gave, not the temporary name it never wrote (".file.ptdoctor-XXXXXX").
  EXPECT_EQ(status.error().message.rfind(tree.at("/no/such/dir/file") + ": cannot create it in ", 0), 0u)
      << status.error().message;
  EXPECT_EQ(status.error().message.find(".ptdoctor-"), std::string::npos) << status.error().message;
}

std::size_t entries_in(const std::string& dir) {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++count;
  return count;
}

TEST(AtomicFile, StreamedContentsArriveWholeThroughTheBuffer) {
  testing::TempTree tree;
  std::string path = tree.write("/out/facts.json", "old\n", 0640);
  // More than the 64 KiB buffer, in pieces and characters, so that it is drained several times.
  std::string expected;
  for (int i = 0; i < 20000; ++i) expected += "line " + std::to_string(i) + "\n";
  auto status = write_file_atomically_from(path, [&](int fd) {
    FdStreamBuf buffer(fd);
    for (std::size_t at = 0; at < expected.size(); at += 1000) {
      buffer.sputn(expected.data() + at, static_cast<std::streamsize>(std::min<std::size_t>(999, expected.size() - at)));
      if (at + 999 < expected.size()) buffer.sputc(expected[at + 999]);
    }
    buffer.pubsync();
    return buffer.error();
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(tree.read("/out/facts.json"), expected);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
}

TEST(AtomicFile, AFailedOrThrowingFillLeavesTheOldFileAndNoTemporary) {
  testing::TempTree tree;
  std::string path = tree.write("/out/facts.json", "old\n");
  auto failed = write_file_atomically_from(path, [](int fd) {
    write_all(fd, "partial", 7);
    return ENOSPC;
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message, path + ": write: " + std::strerror(ENOSPC));
  EXPECT_THROW(write_file_atomically_from(path, [](int fd) -> int {
                 write_all(fd, "partial", 7);
                 throw std::runtime_error("invalid UTF-8");
               }),
               std::runtime_error);
  EXPECT_EQ(tree.read("/out/facts.json"), "old\n");
  EXPECT_EQ(entries_in(tree.at("/out")), 1u);
}

TEST(FdStreamBuf, ReportsTheFirstFailedWriteAndDropsTheRest) {
  FdStreamBuf buffer(-1);
  buffer.sputn("abc", 3);
  EXPECT_EQ(buffer.error(), 0);  // still buffered
  EXPECT_EQ(buffer.pubsync(), -1);
  EXPECT_EQ(buffer.error(), EBADF);
}

}  // namespace
}  // namespace ptdoctor
