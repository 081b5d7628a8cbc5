// read_input_file: the one reader of files the user names. Regular files within the cap are read whole; devices,
// FIFOs and directories are refused without blocking; a larger file is refused, never truncated.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "input_file.hpp"
#include "temp_tree.hpp"

namespace ptdoctor {
namespace {

constexpr InputKind kSmall{"test input", 16};

TEST(InputFile, ReadsARegularFileWithinTheCap) {
  testing::TempTree tree;
  auto text = read_input_file(tree.write("/a", "sixteen bytes!!\n"), kSmall);
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(*text, "sixteen bytes!!\n");
}

TEST(InputFile, RefusesAFileOverTheCapNamingFileAndCap) {
  testing::TempTree tree;
  const std::string path = tree.write("/big", std::string(17, 'x'));
  auto text = read_input_file(path, kSmall);
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().kind, ErrorKind::kInvalidInput);
  EXPECT_NE(text.error().message.find(path), std::string::npos) << text.error().message;
  EXPECT_NE(text.error().message.find("16 bytes limit for a test input"), std::string::npos) << text.error().message;
}

TEST(InputFile, RefusesACharacterDeviceThatNeverEnds) {
  auto text = read_input_file("/dev/zero", kKernelConfigInput);
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().kind, ErrorKind::kInvalidInput);
  EXPECT_NE(text.error().message.find("/dev/zero: is a character device"), std::string::npos);
  EXPECT_NE(text.error().message.find("64 MiB"), std::string::npos) << text.error().message;
}

TEST(InputFile, RefusesAFifoWithoutWaitingForAWriter) {
  testing::TempTree tree;
  const std::string path = tree.at("/fifo");
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  auto text = read_input_file(path, kSmall);
  ASSERT_FALSE(text);
  EXPECT_NE(text.error().message.find("is a FIFO"), std::string::npos) << text.error().message;
  EXPECT_FALSE(check_input_file(path, kSmall));
}

TEST(InputFile, RefusesADirectoryAndSaysWhenAFileIsMissing) {
  testing::TempTree tree;
  auto dir = read_input_file(tree.path(), kSmall);
  ASSERT_FALSE(dir);
  EXPECT_NE(dir.error().message.find("is a directory"), std::string::npos);
  auto missing = read_input_file(tree.at("/nope"), kSmall);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
}

TEST(InputFile, CapsAreShownInReadableUnits) {
  EXPECT_EQ(format_bytes(64u << 20), "64 MiB");
  EXPECT_EQ(format_bytes(512u << 10), "512 KiB");
  EXPECT_EQ(format_bytes(100), "100 bytes");
}

}  // namespace
}  // namespace ptdoctor
