// How xl failures become reasons: the live-host paths that fixture trees cannot reach.
#include "xl_command.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include "unprivileged.hpp"

namespace ptdoctor::hostplug {
namespace {

// A host whose only answer is the command result it was given.
class CommandOnlyHost final : public HostView {
 public:
  CommandOnlyHost(bool live, Result<std::string> command) : live_(live), command_(std::move(command)) {}
  const std::string& root() const override { return root_; }
  bool live() const override { return live_; }
  Result<std::string> read_file(std::string_view, std::size_t) const override { return missing(); }
  Result<std::string> read_at(std::string_view, std::uint64_t, std::size_t) const override { return missing(); }
  Result<std::vector<std::string>> list_dir(std::string_view) const override {
    return make_error(ErrorKind::kNotFound, "none");
  }
  Result<std::vector<DirEntry>> list_dir_entries(std::string_view) const override {
    return make_error(ErrorKind::kNotFound, "none");
  }
  Result<std::string> read_link(std::string_view) const override { return missing(); }
  Result<std::string> resolve(std::string_view) const override { return missing(); }
  Result<FileInfo> stat(std::string_view) const override { return make_error(ErrorKind::kNotFound, "none"); }
  bool exists(std::string_view) const override { return false; }
  Result<std::string> command_output(std::string_view capture, const std::vector<std::string>& argv,
                                     std::chrono::milliseconds) const override {
    last_capture_ = std::string(capture);
    last_argv_ = argv;
    return command_;
  }
  Result<std::string> capture(std::string_view) const override { return missing(); }
  std::string real_path(std::string_view path) const override { return std::string(path); }
  std::vector<std::string> accessed() const override { return {}; }
  void note_access(std::string_view) const override {}

  mutable std::string last_capture_;
  mutable std::vector<std::string> last_argv_;

 private:
  static Result<std::string> missing() { return make_error(ErrorKind::kNotFound, "none"); }
  std::string root_ = "/";
  bool live_;
  Result<std::string> command_;
};

TEST(XlCommand, OutputPassesThroughWithTheCaptureName) {
  CommandOnlyHost host(true, std::string("xen_major : 4\n"));
  CommandText text = xl_output(host, "xl-info.txt", {"xl", "info"});
  ASSERT_TRUE(text.text);
  EXPECT_EQ(*text.text, "xen_major : 4\n");
  EXPECT_EQ(host.last_capture_, "xl-info.txt");
  EXPECT_EQ(host.last_argv_, (std::vector<std::string>{"xl", "info"}));
}

TEST(XlCommand, FailureOnTheLiveHostAsksForRootWhenNotRoot) {
  // CI runs as root: this runs in a child that dropped to nobody first (tests/support/unprivileged.hpp).
  std::string reason = ptdoctor::testing::as_unprivileged([] {
    CommandOnlyHost host(true, make_error(ErrorKind::kIo, "xl info: exit status 1: xencall: Permission denied"));
    CommandText text = xl_output(host, "xl-info.txt", {"xl", "info"});
    return text.text ? std::string("unexpected output") : text.reason;
  });
  EXPECT_NE(reason.find("run ptdoctor as root"), std::string::npos) << reason;
}

TEST(XlCommand, FailureAsRootPassesXlsOwnWordsOn) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (CI runs as root); the unprivileged side is tested above";
  CommandOnlyHost host(true, make_error(ErrorKind::kIo, "xl info: exit status 1: xencall: Permission denied"));
  CommandText text = xl_output(host, "xl-info.txt", {"xl", "info"});
  EXPECT_FALSE(text.text);
  EXPECT_EQ(text.reason.find("run ptdoctor as root"), std::string::npos) << text.reason;
  EXPECT_NE(text.reason.find("Permission denied"), std::string::npos) << text.reason;
}

TEST(XlCommand, MissingXlAndMissingCaptureSayWhatToDo) {
  CommandOnlyHost no_xl(true, make_error(ErrorKind::kNotFound, "xl: command not found"));
  EXPECT_NE(xl_output(no_xl, "xl-dmesg.txt", {"xl", "dmesg"}).reason.find("install the Xen tools"),
            std::string::npos);
  CommandOnlyHost offline(false, make_error(ErrorKind::kNotCaptured, "`xl dmesg` not captured: no x/xl-dmesg.txt"));
  EXPECT_EQ(xl_output(offline, "xl-dmesg.txt", {"xl", "dmesg"}).reason, "`xl dmesg` not captured: no x/xl-dmesg.txt");
  // Offline, an I/O error is never blamed on the user id.
  CommandOnlyHost offline_io(false, make_error(ErrorKind::kIo, "unreadable capture"));
  EXPECT_EQ(xl_output(offline_io, "xl-info.txt", {"xl", "info"}).reason.find("root"), std::string::npos);
}

}  // namespace
}  // namespace ptdoctor::hostplug
