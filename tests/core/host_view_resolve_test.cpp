// HostView::resolve answers a path with no link, or with a link in last place only, from openat2 alone
// (RESOLVE_NO_SYMLINKS confirming the lexical form) and walks every other path a component at a time. Held here
// against the walk itself (the user-space resolver, which walks every path) on random trees of directories,
// files and links of every kind: same answer, or the same error, for every path asked.
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "host/rooted_host_view.hpp"
#include "temp_tree.hpp"

namespace ptdoctor {
namespace {

using host::HostViewOptions;
using host::RootedHostView;
using testing::TempTree;

const char* const kNames[] = {"a", "b", "c", "l", "m", "f"};

std::string random_path(std::mt19937& random, int max_components) {
  static const char* const kParts[] = {"a", "b", "c", "l", "m", "f", ".", "..", "x"};
  std::string path;
  const int count = 1 + static_cast<int>(random() % max_components);
  for (int i = 0; i < count; ++i) path += std::string("/") + kParts[random() % std::size(kParts)];
  if (random() % 8 == 0) path += "/";
  return path;
}

// Directories a, b, c nested up to three deep, files named f, and links named l or m whose targets are relative,
// absolute, climbing out of the root, dangling, to files, to directories, to other links, or loops.
void random_tree(std::mt19937& random, const TempTree& tree) {
  std::vector<std::string> dirs = {""};
  for (int i = 0; i < 12; ++i) {
    const std::string dir = dirs[random() % dirs.size()] + "/" + kNames[random() % 3];
    if (std::count(dir.begin(), dir.end(), '/') > 3 || tree.exists(dir)) continue;
    tree.mkdir(dir);
    dirs.push_back(dir);
  }
  for (const std::string& dir : dirs) {
    if (random() % 2 == 0) tree.write(dir + "/f", "file");
    for (const char* link : {"l", "m"}) {
      if (random() % 3 == 0) continue;
      std::string target;
      switch (random() % 5) {
        case 0: target = random_path(random, 4); break;                    // absolute
        case 1: target = random_path(random, 4).substr(1); break;          // relative
        case 2: target = "../../../../../.." + random_path(random, 3); break;  // climbing out
        case 3: target = std::string(link) == "l" ? "m" : "l"; break;       // to the other link: maybe a loop
        default: target = "../" + std::string(kNames[random() % 3]); break;
      }
      if (!target.empty()) tree.symlink(dir + "/" + link, target);
    }
  }
}

std::unique_ptr<RootedHostView> open_view(const TempTree& tree, bool userspace) {
  HostViewOptions options;
  options.live = false;
  options.force_userspace_resolution = userspace;
  return std::move(RootedHostView::open(tree.path(), options).value());
}

TEST(HostViewResolve, Openat2AnswersAsTheWalkOnRandomTrees) {
  {
    TempTree probe;
    if (open_view(probe, false)->resolver() != RootedHostView::Resolver::kOpenat2) {
      GTEST_SKIP() << "this kernel has no usable openat2: every resolve() walks";
    }
  }
  std::mt19937 random(12);
  int resolved = 0, failed = 0;
  for (int round = 0; round < 100; ++round) {
    TempTree tree;
    random_tree(random, tree);
    auto kernel = open_view(tree, false);
    auto walk = open_view(tree, true);
    for (int query = 0; query < 60; ++query) {
      const std::string path = random_path(random, 5);
      auto expected = walk->resolve(path);
      auto actual = kernel->resolve(path);
      ASSERT_EQ(actual.ok(), expected.ok()) << path;
      if (expected.ok()) {
        ASSERT_EQ(*actual, *expected) << path;
        ++resolved;
      } else {
        ASSERT_EQ(actual.error().kind, expected.error().kind) << path;
        ASSERT_EQ(actual.error().message, expected.error().message) << path;
        ++failed;
      }
    }
  }
  EXPECT_GT(resolved, 700);
  EXPECT_GT(failed, 700);
}

// The kernel's shape: a bus entry links to its device through "..", the last component the only link.
TEST(HostViewResolve, ABusEntryResolvesToItsDevice) {
  TempTree tree;
  tree.write("/sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0/vendor", "0x8086\n");
  tree.symlink("/sys/bus/pci/devices/0000:01:00.0", "../../../devices/pci0000:00/0000:00:01.0/0000:01:00.0");
  tree.symlink("/sys/bus/pci/devices/0000:02:00.0", "../../../devices/pci0000:00/absent");
  for (bool userspace : {false, true}) {
    auto view = open_view(tree, userspace);
    EXPECT_EQ(view->resolve("/sys/bus/pci/devices/0000:01:00.0").value(),
              "/sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0");
    EXPECT_EQ(view->resolve("/sys/bus/pci/devices/0000:01:00.0/vendor").value(),
              "/sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0/vendor");
    EXPECT_EQ(view->resolve("/sys/bus/pci/devices/../devices/.").value(), "/sys/bus/pci/devices");
    EXPECT_EQ(view->resolve("/sys/bus/pci/devices/0000:02:00.0").error().kind, ErrorKind::kNotFound);
  }
}

}  // namespace
}  // namespace ptdoctor
