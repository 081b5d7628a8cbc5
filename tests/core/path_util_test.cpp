// The lexical host-path helpers every HostView call goes through.
#include "host/path_util.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ptdoctor::host {
namespace {

// relative_to_root is built in one pass for speed; it must stay what joining the components gives.
TEST(PathUtil, RelativeToRootIsTheJoinedComponents) {
  const std::vector<std::string> paths = {"",       "/",        "//",          "/proc/cmdline", "proc//x/",
                                          "///a",   "a/b/c",    "/a/./b/../c", "/sys/bus/pci/devices/0000:00:02.0/",
                                          "..",     "/../x",    "x///"};
  for (const std::string& path : paths) {
    EXPECT_EQ(relative_to_root(path), join_path(split_path(path), "")) << path;
  }
  EXPECT_EQ(relative_to_root("//proc///x/"), "proc/x");
  EXPECT_EQ(relative_to_root("/"), "");
  EXPECT_EQ(relative_to_root("/a/./b/../c"), "a/./b/../c");  // lexical only: "." and ".." stay for the resolver
  EXPECT_EQ(normalize_host_path("proc//x/"), "/proc/x");
}

}  // namespace
}  // namespace ptdoctor::host
