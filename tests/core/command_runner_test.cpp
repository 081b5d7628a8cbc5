#include <gtest/gtest.h>

#include "host/command_runner.hpp"

namespace ptdoctor::host {
namespace {

TEST(CommandRunner, ReturnsStdoutOfASuccessfulCommand) {
  auto out = run_command({"printf", "a\\nb"});
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(*out, "a\nb");
}

TEST(CommandRunner, NonZeroExitCarriesStatusAndStderr) {
  auto out = run_command({"sh", "-c", "echo broken >&2; exit 3"});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message.find("exit status 3"), std::string::npos) << out.error().message;
  EXPECT_NE(out.error().message.find("broken"), std::string::npos) << out.error().message;
}

TEST(CommandRunner, MissingProgramIsNotFound) {
  auto out = run_command({"ptdoctor-no-such-program"});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().kind, ErrorKind::kNotFound);
}

TEST(CommandRunner, SlowCommandIsKilledAtTheTimeout) {
  CommandLimits limits;
  limits.timeout = std::chrono::milliseconds(200);
  auto started = std::chrono::steady_clock::now();
  auto out = run_command({"sleep", "10"}, limits);
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().kind, ErrorKind::kTimeout);
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(CommandRunner, ArgumentsAreNotInterpretedByAShell) {
  auto out = run_command({"echo", "$(id); rm -rf /tmp/x"});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "$(id); rm -rf /tmp/x\n");
}

TEST(CommandRunner, OutputOverTheLimitIsRefused) {
  CommandLimits limits;
  limits.max_output = 1000;
  auto out = run_command({"head", "-c", "100000", "/dev/zero"}, limits);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message.find("limit"), std::string::npos);
}

}  // namespace
}  // namespace ptdoctor::host
