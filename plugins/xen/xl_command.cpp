#include "xl_command.hpp"

#include <unistd.h>

namespace ptdoctor::hostplug {

CommandText xl_output(const HostView& host, const std::string& capture, const std::vector<std::string>& argv) {
  constexpr std::chrono::milliseconds kTimeout{15000};
  auto result = host.command_output(capture, argv, kTimeout);
  if (result) return {*result, ""};
  const Error& error = result.error();
  std::string shown = "`xl " + argv[1] + "`";
  switch (error.kind) {
    case ErrorKind::kNotFound:
      return {std::nullopt, shown + ": xl not found; install the Xen tools (Debian: xen-utils)"};
    case ErrorKind::kPermissionDenied:
    case ErrorKind::kIo:
      if (host.live() && ::geteuid() != 0) {
        return {std::nullopt, shown + " failed: xl needs root (/dev/xen/privcmd); run ptdoctor as root"};
      }
      return {std::nullopt, shown + " failed: " + error.message};
    default:
      return {std::nullopt, error.message};
  }
}

}  // namespace ptdoctor::hostplug
