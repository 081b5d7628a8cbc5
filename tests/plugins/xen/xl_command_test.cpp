// How xl failures become reasons: the live-host paths that fixture trees cannot reach.
#include "xl_command.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include "absent_host_view.hpp"
#include "unprivileged.hpp"

namespace ptdoctor::hostplug {
namespace {

// A host whose only answer is the command result it was given.
class CommandOnlyHost final : public ptdoctor::testing::AbsentHostView {
 public:
  CommandOnlyHost(bool live, Result<std::string> command) : live_(live), command_(std::move(command)) {}
  bool live() const override { return live_; }
  Result<std::string> command_output(std::string_view capture, const std::vector<std::string>& argv,
                                     std::chrono::milliseconds) const override {
    last_capture_ = std::string(capture);
    last_argv_ = argv;
    return command_;
  }

  mutable std::string last_capture_;
  mutable std::vector<std::string> last_argv_;

 private:
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
