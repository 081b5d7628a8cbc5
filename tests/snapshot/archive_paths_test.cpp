#include "snapshot/archive_paths.hpp"

#include <gtest/gtest.h>

namespace ptdoctor::snapshot {
namespace {

std::optional<std::string> canonical(std::string_view name, std::string* why_out = nullptr) {
  std::string why;
  auto result = canonical_entry_path(name, why, 1024, 64);
  if (why_out != nullptr) *why_out = why;
  return result;
}

TEST(ArchivePaths, CanonicalisesHarmlessSpellings) {
  EXPECT_EQ(canonical("./sys//bus/pci/"), "sys/bus/pci");
  EXPECT_EQ(canonical("proc/./cmdline"), "proc/cmdline");
  EXPECT_EQ(canonical("./"), "");
}

TEST(ArchivePaths, RefusesAbsoluteDotDotAndOverlongNames) {
  std::string why;
  EXPECT_FALSE(canonical("/etc/passwd", &why));
  EXPECT_EQ(why, "absolute path");
  EXPECT_FALSE(canonical("sys/../../etc/passwd", &why));
  EXPECT_EQ(why, "'..' in the path");
  EXPECT_FALSE(canonical("a/..", &why));
  EXPECT_FALSE(canonical(std::string(2000, 'a'), &why));
  EXPECT_NE(why.find("longer than"), std::string::npos);
  std::string deep;
  for (int i = 0; i < 70; ++i) deep += "d/";
  EXPECT_FALSE(canonical(deep, &why));
  EXPECT_NE(why.find("deeper"), std::string::npos);
}

TEST(ArchivePaths, LinkTargetsMustStayInsideByConstruction) {
  EXPECT_TRUE(link_target_stays_inside("sys/bus/pci/devices/0000:00:02.0", "../../../devices/pci0000:00/0000:00:02.0"));
  EXPECT_FALSE(link_target_stays_inside("sys/bus/pci/devices/x", "../../../../../etc"));
  EXPECT_FALSE(link_target_stays_inside("sys/x", "/etc"));
  EXPECT_FALSE(link_target_stays_inside("a/b/c", "../x/../../.."));  // ".." after a descent is refused
  EXPECT_FALSE(link_target_stays_inside("top", ".."));
  EXPECT_TRUE(link_target_stays_inside("top", "other"));
  EXPECT_FALSE(link_target_stays_inside("top", ""));
}

TEST(ArchivePaths, WriterRewritesAbsoluteTargetsRelativeToTheLink) {
  EXPECT_EQ(contained_link_target("/sys/bus/pci/devices/0000:00:1f.0", "/sys/devices/pci0000:00/0000:00:1f.0"),
            "../../../devices/pci0000:00/0000:00:1f.0");
  EXPECT_EQ(contained_link_target("/sys/bus/pci/devices/d", "../../../devices/d"), "../../../devices/d");
  EXPECT_EQ(contained_link_target("/a/b", "c/../d"), "d");
  EXPECT_FALSE(contained_link_target("/a/b", "../../.."));
  auto rewritten = contained_link_target("/sys/x/y", "/etc/z");
  ASSERT_TRUE(rewritten);
  EXPECT_TRUE(link_target_stays_inside("sys/x/y", *rewritten));
}

}  // namespace
}  // namespace ptdoctor::snapshot
