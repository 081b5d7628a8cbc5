// HostView::list_dir_entries: one listing that says what each entry is without following it, inside the root.
// The pci plugin's sysfs guard refuses every device whose files libpci would open are not plain regular files
// (a link could take libpci, which follows links with the real kernel, out of the root; a FIFO would hang it), and
// it learns that from these types alone: a link must never be reported as what it points at.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include "host/rooted_host_view.hpp"
#include "temp_tree.hpp"

namespace ptdoctor {
namespace {

using host::HostViewOptions;
using host::RootedHostView;
using testing::TempTree;
using Type = FileInfo::Type;

// Runs through openat2 and through the user-space resolver, each with the kernel's d_type and with the lstat
// fallback that file systems answering DT_UNKNOWN take (forced by the option: this machine's do not answer it).
class HostViewEntriesTest : public ::testing::TestWithParam<std::tuple<bool, bool>> {
 protected:
  bool userspace() const { return std::get<0>(GetParam()); }
  bool ignore_dirent_types() const { return std::get<1>(GetParam()); }
  void SetUp() override {
    if (!userspace() && (*RootedHostView::open(tree.path()))->resolver() != RootedHostView::Resolver::kOpenat2) {
      GTEST_SKIP() << "this kernel has no usable openat2: the UserSpace runs cover the resolver it falls back to";
    }
  }
  std::unique_ptr<RootedHostView> open_view() {
    HostViewOptions options;
    options.live = false;
    options.force_userspace_resolution = userspace();
    options.ignore_dirent_types = ignore_dirent_types();
    auto view = RootedHostView::open(tree.path(), options);
    EXPECT_TRUE(view.ok());
    return std::move(view.value());
  }
  TempTree tree;
  TempTree outside;  // stands for the real machine a hostile link aims at
};

std::vector<std::pair<std::string, Type>> named_types(const std::vector<DirEntry>& entries) {
  std::vector<std::pair<std::string, Type>> pairs;
  for (const DirEntry& entry : entries) pairs.emplace_back(entry.name, entry.type);
  return pairs;
}

TEST_P(HostViewEntriesTest, TypesEveryEntryAsItselfSortedByName) {
  outside.write("/secret", "real secret");
  const std::string dir = "/sys/devices/pci0000:00/0000:00:02.0";
  tree.write(dir + "/vendor", "0x8086\n");
  tree.write(dir + "/resource", "0x0 0x0 0x0\n");
  tree.mkdir(dir + "/power");
  ASSERT_EQ(::mkfifo(tree.at(dir + "/config").c_str(), 0600), 0);
  tree.symlink(dir + "/driver", "../../../bus/pci/drivers/i915");       // dangling, as a fixture may hold
  tree.symlink(dir + "/subsystem", "../../../bus/pci");                  // a link to a directory
  tree.symlink(dir + "/device", "vendor");                               // a link to a regular file beside it
  tree.symlink(dir + "/rom", outside.at("/secret"));                     // absolute, aimed out of the root
  tree.symlink(dir + "/label", "../../../../../../../../../../etc/passwd");  // relative, climbing out
  tree.mkdir("/sys/bus/pci");
  auto view = open_view();
  auto entries = view->list_dir_entries(dir);
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  const std::vector<std::pair<std::string, Type>> expected = {
      {"config", Type::kOther},       {"device", Type::kSymlink},  {"driver", Type::kSymlink},
      {"label", Type::kSymlink},      {"power", Type::kDirectory}, {"resource", Type::kRegular},
      {"rom", Type::kSymlink},        {"subsystem", Type::kSymlink}, {"vendor", Type::kRegular}};
  EXPECT_EQ(named_types(*entries), expected);
  // The same names as list_dir, in the same order.
  std::vector<std::string> names;
  for (const DirEntry& entry : *entries) names.push_back(entry.name);
  EXPECT_EQ(names, view->list_dir(dir).value());
}

TEST_P(HostViewEntriesTest, SocketsAreNeitherFilesNorLinks) {
  tree.mkdir("/run");
  const std::string path = tree.at("/run/sock");
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  ASSERT_LT(path.size(), sizeof address.sun_path);
  std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  ::close(fd);
  auto entries = open_view()->list_dir_entries("/run");
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  EXPECT_EQ(named_types(*entries), (std::vector<std::pair<std::string, Type>>{{"sock", Type::kOther}}));
}

// The directory named is reached as every path is: links on the way resolve inside the root.
TEST_P(HostViewEntriesTest, ListsThroughALinkInsideTheRootOnly) {
  outside.write("/dir/real-file", "");
  tree.write("/sys/devices/pci0000:00/0000:00:02.0/vendor", "0x8086\n");
  tree.symlink("/sys/bus/pci/devices/0000:00:02.0", "../../../devices/pci0000:00/0000:00:02.0");
  tree.symlink("/sys/bus/pci/devices/0000:00:03.0", outside.at("/dir"));
  auto view = open_view();
  auto inside = view->list_dir_entries("/sys/bus/pci/devices/0000:00:02.0");
  ASSERT_TRUE(inside.ok()) << inside.error().message;
  EXPECT_EQ(named_types(*inside), (std::vector<std::pair<std::string, Type>>{{"vendor", Type::kRegular}}));
  auto escaped = view->list_dir_entries("/sys/bus/pci/devices/0000:00:03.0");
  ASSERT_FALSE(escaped.ok());
  EXPECT_EQ(escaped.error().kind, ErrorKind::kNotFound);
  // The links themselves, listed from their directory, are links.
  auto links = view->list_dir_entries("/sys/bus/pci/devices");
  ASSERT_TRUE(links.ok());
  EXPECT_EQ(named_types(*links), (std::vector<std::pair<std::string, Type>>{{"0000:00:02.0", Type::kSymlink},
                                                                             {"0000:00:03.0", Type::kSymlink}}));
}

TEST_P(HostViewEntriesTest, SymlinkLoopIsAnErrorNotAHang) {
  tree.symlink("/loop/a", "b");
  tree.symlink("/loop/b", "a");
  auto view = open_view();
  auto looped = view->list_dir_entries("/loop/a");
  ASSERT_FALSE(looped.ok());
  EXPECT_NE(looped.error().message.find("/loop/a"), std::string::npos) << looped.error().message;
  auto loop = view->list_dir_entries("/loop");
  ASSERT_TRUE(loop.ok());
  EXPECT_EQ(named_types(*loop),
            (std::vector<std::pair<std::string, Type>>{{"a", Type::kSymlink}, {"b", Type::kSymlink}}));
}

// A file where a directory should be, from the start or put there after the directory was listed (the view keeps
// the last parent directory it opened): an error naming the path, never the old entries.
TEST_P(HostViewEntriesTest, ADirectoryReplacedByAFileIsAnError) {
  const std::string dir = "/sys/devices/pci0000:00/0000:00:02.0";
  tree.write(dir + "/vendor", "0x8086\n");
  tree.write("/sys/devices/pci0000:00/0000:00:03.0", "a file\n");
  auto view = open_view();
  auto file = view->list_dir_entries("/sys/devices/pci0000:00/0000:00:03.0");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(file.error().message.find("0000:00:03.0"), std::string::npos) << file.error().message;
  ASSERT_TRUE(view->list_dir_entries(dir).ok());
  ASSERT_TRUE(view->read_file(dir + "/vendor", 64).ok());
  std::filesystem::remove_all(tree.at(dir));
  tree.write(dir, "now a file\n");
  auto replaced = view->list_dir_entries(dir);
  ASSERT_FALSE(replaced.ok());
  EXPECT_NE(replaced.error().message.find(dir), std::string::npos) << replaced.error().message;
}

TEST_P(HostViewEntriesTest, MissingDirectorySaysNotFoundAndIsRecorded) {
  tree.write("/sys/kernel/iommu_groups/0/devices/.keep", "");
  HostViewOptions options;
  options.force_userspace_resolution = userspace();
  options.ignore_dirent_types = ignore_dirent_types();
  auto view = RootedHostView::open(tree.path(), options);
  ASSERT_TRUE(view.ok());
  auto missing = (*view)->list_dir_entries("/sys/bus/pci/devices");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
  ASSERT_TRUE((*view)->list_dir_entries("/sys/kernel/iommu_groups/0/devices").ok());
  // A snapshot must hold what was listed, as with list_dir.
  auto accessed = (*view)->accessed();
  EXPECT_NE(std::find(accessed.begin(), accessed.end(), "/sys/kernel/iommu_groups/0/devices"), accessed.end());
}

INSTANTIATE_TEST_SUITE_P(ResolutionAndTypes, HostViewEntriesTest,
                         ::testing::Combine(::testing::Bool(), ::testing::Bool()), [](const auto& info) {
                           return std::string(std::get<0>(info.param) ? "UserSpace" : "Openat2") +
                                  (std::get<1>(info.param) ? "Lstat" : "DirentType");
                         });

}  // namespace
}  // namespace ptdoctor
