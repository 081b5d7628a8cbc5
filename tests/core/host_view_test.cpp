// The host view must never read outside its root, whatever the tree contains.
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstddef>
#include <filesystem>

#include "host/rooted_host_view.hpp"
#include "temp_tree.hpp"

namespace ptdoctor {
namespace {

using host::HostViewOptions;
using host::RootedHostView;
using testing::TempTree;

// Every test runs twice: through openat2 and through the user-space resolver used where openat2 is missing.
// The Openat2 run asserts that openat2 confined it: a silent fall-back would run the user-space resolver twice and
// leave openat2 untested.
class HostViewTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (!GetParam() && (*RootedHostView::open(tree.path()))->resolver() != RootedHostView::Resolver::kOpenat2) {
      GTEST_SKIP() << "this kernel has no usable openat2 (before Linux 5.6, or filtered): the UserSpace run covers "
                      "the resolver it falls back to";
    }
  }
  std::unique_ptr<RootedHostView> open_view(bool live = false) {
    HostViewOptions options;
    options.live = live;
    options.force_userspace_resolution = GetParam();
    auto view = RootedHostView::open(tree.path(), options);
    EXPECT_TRUE(view.ok());
    EXPECT_EQ(view.value()->resolver(),
              GetParam() ? RootedHostView::Resolver::kUserSpace : RootedHostView::Resolver::kOpenat2);
    return std::move(view.value());
  }
  TempTree tree;
  // A tree outside the root, standing for the real /etc a hostile link would aim at.
  TempTree outside;
};

TEST_P(HostViewTest, ReadsFilesInsideTheRoot) {
  tree.write("/proc/cmdline", "root=/dev/sda1 quiet\n");
  auto view = open_view();
  auto data = view->read_file("/proc/cmdline", kDefaultReadLimit);
  ASSERT_TRUE(data.ok()) << data.error().message;
  EXPECT_EQ(*data, "root=/dev/sda1 quiet\n");
}

TEST_P(HostViewTest, AbsoluteSymlinkResolvesInsideTheRoot) {
  outside.write("/secret", "real secret");
  tree.write("/etc/shadow", "fixture shadow");
  tree.symlink("/sys/evil", "/etc/shadow");
  tree.symlink("/sys/evil_outside", outside.at("/secret"));
  auto view = open_view();
  auto data = view->read_file("/sys/evil", kDefaultReadLimit);
  ASSERT_TRUE(data.ok()) << data.error().message;
  EXPECT_EQ(*data, "fixture shadow");
  // A link naming a real path outside is read as that path inside the root: not there.
  auto escaped = view->read_file("/sys/evil_outside", kDefaultReadLimit);
  ASSERT_FALSE(escaped.ok());
  EXPECT_EQ(escaped.error().kind, ErrorKind::kNotFound);
}

// Files of one directory are opened from its kept fd: a link among them must still resolve inside the root,
// for every kind of access, whatever was read from that directory before.
TEST_P(HostViewTest, LinksBesideFilesAlreadyReadStayInside) {
  outside.write("/secret", "real secret");
  outside.write("/dir/real-file", "");
  tree.write("/etc/shadow", "fixture shadow");
  tree.write("/etc/passwd-dir/entry", "");
  tree.write("/sys/dev/vendor", "0x8086\n");
  tree.symlink("/sys/dev/to_fixture", "/etc/shadow");
  tree.symlink("/sys/dev/to_outside", outside.at("/secret"));
  tree.symlink("/sys/dev/dir_outside", outside.at("/dir"));
  tree.symlink("/sys/dev/dir_fixture", "../../etc/passwd-dir");
  auto view = open_view();
  ASSERT_TRUE(view->read_file("/sys/dev/vendor", kDefaultReadLimit).ok());  // the directory is now kept
  auto inside = view->read_file("/sys/dev/to_fixture", kDefaultReadLimit);
  ASSERT_TRUE(inside.ok()) << inside.error().message;
  EXPECT_EQ(*inside, "fixture shadow");
  EXPECT_EQ(view->read_file("/sys/dev/to_outside", kDefaultReadLimit).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(view->read_at("/sys/dev/to_outside", 0, 4).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(view->stat("/sys/dev/to_outside").error().kind, ErrorKind::kNotFound);
  auto followed = view->stat("/sys/dev/to_fixture");
  ASSERT_TRUE(followed.ok());
  EXPECT_EQ(followed->type, FileInfo::Type::kRegular);
  EXPECT_EQ(followed->size, 14u);
  EXPECT_FALSE(view->list_dir("/sys/dev/dir_outside").ok());
  auto listed = view->list_dir("/sys/dev/dir_fixture");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(*listed, std::vector<std::string>{"entry"});
  EXPECT_EQ(*view->read_link("/sys/dev/to_fixture"), "/etc/shadow");
  EXPECT_EQ(view->read_link("/sys/dev/vendor").error().kind, ErrorKind::kInvalidInput);
  auto missing = view->read_file("/sys/dev/absent", kDefaultReadLimit);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(missing.error().message.find("/sys/dev/absent"), std::string::npos);
  // ".." last is resolved as a path, never opened from the kept directory.
  auto parent = view->stat("/sys/dev/..");
  ASSERT_TRUE(parent.ok());
  EXPECT_EQ(parent->type, FileInfo::Type::kDirectory);
  EXPECT_EQ(view->list_dir("/sys/dev/../..").value(), view->list_dir("/").value());
}

TEST_P(HostViewTest, DotDotStopsAtTheRoot) {
  tree.write("/etc/hostname", "fixture-host\n");
  tree.mkdir("/proc");
  auto view = open_view();
  auto data = view->read_file("/../../../../etc/hostname", kDefaultReadLimit);
  ASSERT_TRUE(data.ok()) << data.error().message;
  EXPECT_EQ(*data, "fixture-host\n");
  auto resolved = view->resolve("/proc/../../../etc/hostname");
  ASSERT_TRUE(resolved.ok()) << resolved.error().message;
  EXPECT_EQ(*resolved, "/etc/hostname");
}

TEST_P(HostViewTest, RelativeSymlinkClimbingOutIsClamped) {
  outside.write("/passwd", "real");
  tree.write("/etc/passwd", "fixture passwd");
  tree.symlink("/a/b/c/link", "../../../../../../../../etc/passwd");
  auto view = open_view();
  auto data = view->read_file("/a/b/c/link", kDefaultReadLimit);
  ASSERT_TRUE(data.ok()) << data.error().message;
  EXPECT_EQ(*data, "fixture passwd");
}

TEST_P(HostViewTest, SymlinkedDirectoryIsFollowedInsideTheRoot) {
  tree.write("/sys/devices/pci0000:00/0000:00:02.0/vendor", "0x8086\n");
  tree.symlink("/sys/bus/pci/devices/0000:00:02.0", "../../../devices/pci0000:00/0000:00:02.0");
  auto view = open_view();
  auto vendor = view->read_file("/sys/bus/pci/devices/0000:00:02.0/vendor", kDefaultReadLimit);
  ASSERT_TRUE(vendor.ok()) << vendor.error().message;
  EXPECT_EQ(*vendor, "0x8086\n");
  auto resolved = view->resolve("/sys/bus/pci/devices/0000:00:02.0");
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(*resolved, "/sys/devices/pci0000:00/0000:00:02.0");
  auto target = view->read_link("/sys/bus/pci/devices/0000:00:02.0");
  ASSERT_TRUE(target.ok()) << target.error().message;
  EXPECT_EQ(*target, "../../../devices/pci0000:00/0000:00:02.0");
}

TEST_P(HostViewTest, SymlinkLoopIsAnErrorNotAHang) {
  tree.symlink("/loop/a", "b");
  tree.symlink("/loop/b", "a");
  auto view = open_view();
  auto data = view->read_file("/loop/a", kDefaultReadLimit);
  ASSERT_FALSE(data.ok());
  EXPECT_NE(data.error().message.find("/loop/a"), std::string::npos) << data.error().message;
}

TEST_P(HostViewTest, FifoIsRefusedWithoutBlocking) {
  tree.mkdir("/proc");
  ASSERT_EQ(::mkfifo(tree.at("/proc/fifo").c_str(), 0644), 0);
  auto view = open_view();
  auto data = view->read_file("/proc/fifo", kDefaultReadLimit);
  ASSERT_FALSE(data.ok());
  EXPECT_NE(data.error().message.find("not a regular file"), std::string::npos) << data.error().message;
}

TEST_P(HostViewTest, DirectoryIsNotReadAsAFile) {
  tree.mkdir("/etc/modprobe.d");
  auto view = open_view();
  auto data = view->read_file("/etc/modprobe.d", kDefaultReadLimit);
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.error().kind, ErrorKind::kInvalidInput);
}

TEST_P(HostViewTest, MissingFileSaysNotPresentAndNamesIt) {
  auto view = open_view();
  auto data = view->read_file("/sys/firmware/acpi/tables/DMAR", kDefaultReadLimit);
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(data.error().message.find("/sys/firmware/acpi/tables/DMAR"), std::string::npos);
}

TEST_P(HostViewTest, OversizedFileIsRefused) {
  tree.write("/big", std::string(5000, 'x'));
  auto view = open_view();
  auto data = view->read_file("/big", 4096);
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.error().kind, ErrorKind::kInvalidInput);
}

TEST_P(HostViewTest, ReadAtReadsAWindow) {
  tree.write("/sys/bus/pci/devices/x/config", std::string("\x86\x80\x3a\x34rest", 8));
  auto view = open_view();
  auto bytes = view->read_at("/sys/bus/pci/devices/x/config", 2, 2);
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  EXPECT_EQ(*bytes, std::string("\x3a\x34", 2));
}

TEST_P(HostViewTest, ListsDirectoriesSorted) {
  tree.write("/etc/modprobe.d/b.conf", "");
  tree.write("/etc/modprobe.d/a.conf", "");
  tree.mkdir("/etc/modprobe.d/c.d");
  auto view = open_view();
  auto names = view->list_dir("/etc/modprobe.d");
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"a.conf", "b.conf", "c.d"}));
}

TEST_P(HostViewTest, ListingThroughAnEscapingLinkStaysInside) {
  outside.write("/x/real-file", "");
  tree.symlink("/sys/escape", outside.at("/x"));
  auto view = open_view();
  auto names = view->list_dir("/sys/escape");
  EXPECT_FALSE(names.ok());
}

TEST_P(HostViewTest, CaptureIsUsedOfflineAndMissingCaptureIsNotCaptured) {
  tree.write("/.ptdoctor/capture/xl-info.txt", "xen_major : 4\n");
  auto view = open_view();
  auto info = view->command_output("xl-info.txt", {"xl", "info"}, std::chrono::milliseconds(1000));
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(*info, "xen_major : 4\n");
  auto dmesg = view->command_output("xl-dmesg.txt", {"xl", "dmesg"}, std::chrono::milliseconds(1000));
  ASSERT_FALSE(dmesg.ok());
  EXPECT_EQ(dmesg.error().kind, ErrorKind::kNotCaptured);
  EXPECT_NE(dmesg.error().message.find("xl dmesg"), std::string::npos) << dmesg.error().message;
}

TEST_P(HostViewTest, CaptureNamesCannotClimbOut) {
  outside.write("/secret", "x");
  auto view = open_view();
  auto bad = view->capture("../../secret");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kInvalidInput);
}

TEST_P(HostViewTest, LiveViewRunsTheCommandWhenNotCaptured) {
  auto view = open_view(/*live=*/true);
  auto out = view->command_output("echo.txt", {"echo", "hello"}, std::chrono::milliseconds(5000));
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(*out, "hello\n");
}

TEST_P(HostViewTest, RecordsWhatWasRead) {
  tree.write("/proc/cmdline", "x");
  auto view = open_view();
  (void)view->read_file("/proc//cmdline", kDefaultReadLimit);
  (void)view->list_dir("/etc");
  auto accessed = view->accessed();
  EXPECT_NE(std::find(accessed.begin(), accessed.end(), "/proc/cmdline"), accessed.end());
  EXPECT_NE(std::find(accessed.begin(), accessed.end(), "/etc"), accessed.end());
}

// Commands other than `snapshot` open the view without the list (Session): the reads still work, nothing is kept.
TEST_P(HostViewTest, KeepsNoListWhenNotRecording) {
  tree.write("/proc/cmdline", "x");
  HostViewOptions options;
  options.force_userspace_resolution = GetParam();
  options.record_accesses = false;
  auto view = RootedHostView::open(tree.path(), options);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(*(*view)->read_file("/proc/cmdline", kDefaultReadLimit), "x");
  (*view)->note_access("/sys/bus/pci/devices/0000:00:00.0/config");
  EXPECT_TRUE((*view)->accessed().empty());
}

// After reads, links and "..": every open of the Openat2 run went through openat2, none through the user-space walk.
TEST_P(HostViewTest, EveryOpenUsesTheResolverOfItsRun) {
  tree.write("/etc/hostname", "box\n");
  tree.symlink("/link", "/etc/hostname");
  auto view = open_view();
  EXPECT_TRUE(view->read_file("/etc/hostname", kDefaultReadLimit).ok());
  EXPECT_TRUE(view->read_file("/link", kDefaultReadLimit).ok());
  EXPECT_TRUE(view->read_file("/../etc/../etc/hostname", kDefaultReadLimit).ok());
  EXPECT_TRUE(view->list_dir("/etc").ok());
  EXPECT_FALSE(view->read_file("/absent", kDefaultReadLimit).ok());
  EXPECT_EQ(view->resolver(), GetParam() ? RootedHostView::Resolver::kUserSpace : RootedHostView::Resolver::kOpenat2);
}

TEST_P(HostViewTest, RealPathJoinsRootAndPath) {
  auto view = open_view();
  EXPECT_EQ(view->real_path("/sys/bus/pci"), tree.path() + "/sys/bus/pci");
  EXPECT_EQ(view->real_path("/"), tree.path());
}

// libpci opens real_path() itself, from links the pci plugin makes in a temporary directory: a relative root must
// come back absolute, or those links point nowhere.
TEST_P(HostViewTest, RealPathIsAbsoluteForARelativeRoot) {
  const std::filesystem::path before = std::filesystem::current_path();
  std::filesystem::current_path(std::filesystem::path(tree.path()).parent_path());
  auto view = RootedHostView::open(std::filesystem::path(tree.path()).filename().string());
  std::filesystem::current_path(before);
  ASSERT_TRUE(view.ok()) << view.error().message;
  EXPECT_EQ((*view)->real_path("/sys/bus/pci"), tree.path() + "/sys/bus/pci");
  EXPECT_EQ((*view)->root(), std::filesystem::path(tree.path()).filename().string()) << "messages keep the name given";
}

INSTANTIATE_TEST_SUITE_P(Resolution, HostViewTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "UserSpace" : "Openat2"; });

// Where openat2 is missing (ENOSYS: Linux before 5.6) or refused by a seccomp filter (EPERM in some containers),
// the view falls back to the user-space resolver, says so through resolver(), and still confines every open. A
// seccomp filter in a child process stands in for such a kernel; the child's exit code says which check failed.
int run_without_openat2(const std::string& root, int openat2_error) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (static_cast<unsigned>(openat2_error) & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog program = {static_cast<unsigned short>(sizeof filter / sizeof filter[0]), filter};
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) {
      ::_exit(10);
    }
    auto view = RootedHostView::open(root);
    if (!view.ok()) ::_exit(11);
    if ((*view)->resolver() != RootedHostView::Resolver::kUserSpace) ::_exit(12);
    auto inside = (*view)->read_file("/etc/passwd", kDefaultReadLimit);
    if (!inside.ok() || *inside != "inside\n") ::_exit(13);
    auto climbed = (*view)->read_file("/../../../../etc/passwd", kDefaultReadLimit);  // ".." stops at the root
    if (!climbed.ok() || *climbed != "inside\n") ::_exit(14);
    auto linked = (*view)->read_file("/escape", kDefaultReadLimit);  // an absolute link restarts at the root
    if (!linked.ok() || *linked != "inside\n") ::_exit(15);
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(HostViewOpen, FallsBackToTheUserSpaceResolverWhenOpenat2IsMissingOrRefused) {
  TempTree tree;
  tree.write("/etc/passwd", "inside\n");
  tree.symlink("/escape", "/etc/passwd");
  EXPECT_EQ(run_without_openat2(tree.path(), ENOSYS), 0) << "10 no seccomp, 11 open, 12 resolver, 13-15 reads";
  EXPECT_EQ(run_without_openat2(tree.path(), EPERM), 0) << "10 no seccomp, 11 open, 12 resolver, 13-15 reads";
}

TEST(HostViewOpen, MissingRootIsAnError) {
  auto view = RootedHostView::open("/nonexistent/ptdoctor/root");
  ASSERT_FALSE(view.ok());
  EXPECT_NE(view.error().message.find("/nonexistent/ptdoctor/root"), std::string::npos);
}

TEST(HostViewOpen, SlashIsLiveAndATreeIsNot) {
  TempTree tree;
  auto slash = RootedHostView::open("/");
  ASSERT_TRUE(slash.ok());
  EXPECT_TRUE((*slash)->live());
  auto fixture = RootedHostView::open(tree.path());
  ASSERT_TRUE(fixture.ok());
  EXPECT_FALSE((*fixture)->live());
}

}  // namespace
}  // namespace ptdoctor
