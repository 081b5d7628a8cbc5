#include <sys/stat.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "atomic_file.hpp"
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

}  // namespace
}  // namespace ptdoctor
