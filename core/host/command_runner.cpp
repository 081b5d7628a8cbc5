#include "host/command_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "scoped_fd.hpp"

extern char** environ;

namespace ptdoctor::host {
namespace {

constexpr std::array<const char*, 4> kSystemDirs = {"/usr/sbin", "/usr/bin", "/sbin", "/bin"};

std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  for (const char* dir : kSystemDirs) {
    std::string candidate = std::string(dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

std::string tail(const std::string& text, std::size_t n) {
  std::string t = text.size() > n ? text.substr(text.size() - n) : text;
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
  return t;
}

}  // namespace

Result<std::string> run_command(const std::vector<std::string>& argv, const CommandLimits& limits) {
  if (argv.empty()) return make_error(ErrorKind::kInvalidInput, "empty command");
  const std::string program = find_program(argv[0]);
  if (program.empty()) return make_error(ErrorKind::kNotFound, argv[0] + ": command not found");

  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return make_error(ErrorKind::kIo, std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return make_error(ErrorKind::kIo, std::string("pipe: ") + std::strerror(errno));
  }
  ScopedFd out_read(out_pipe[0]), out_write(out_pipe[1]), err_read(err_pipe[0]), err_write(err_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), 2);

  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  // A fixed, predictable environment: C locale so output parses the same everywhere.
  std::array<const char*, 3> env = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", nullptr};

  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, args.data(), const_cast<char**>(env.data()));
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    ErrorKind kind = rc == ENOENT ? ErrorKind::kNotFound : rc == EACCES ? ErrorKind::kPermissionDenied : ErrorKind::kIo;
    return make_error(kind, argv[0] + ": cannot run: " + std::strerror(rc));
  }
  out_write.reset();
  err_write.reset();

  std::string out, err;
  bool timed_out = false, too_long = false;
  const auto deadline = std::chrono::steady_clock::now() + limits.timeout;
  std::array<pollfd, 2> fds = {pollfd{out_read.get(), POLLIN, 0}, pollfd{err_read.get(), POLLIN, 0}};
  int open_streams = 2;
  while (open_streams > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buffer[65536];
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        fds[i].fd = -1;
        --open_streams;
        continue;
      }
      std::string& sink = i == 0 ? out : err;
      sink.append(buffer, static_cast<std::size_t>(n));
      if (sink.size() > limits.max_output) {
        too_long = true;
        open_streams = 0;
        break;
      }
    }
  }
  if (timed_out || too_long) ::kill(pid, SIGKILL);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  std::string shown = argv[0];
  for (std::size_t i = 1; i < argv.size(); ++i) shown += " " + argv[i];
  if (timed_out) {
    return make_error(ErrorKind::kTimeout,
                      shown + ": no answer within " + std::to_string(limits.timeout.count()) + " ms, stopped");
  }
  if (too_long) return make_error(ErrorKind::kIo, shown + ": output larger than the limit, stopped");
  if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) return out;
  std::string status = WIFEXITED(wstatus) ? "exit status " + std::to_string(WEXITSTATUS(wstatus))
                                          : "killed by signal " + std::to_string(WTERMSIG(wstatus));
  std::string message = shown + ": " + status;
  if (!err.empty()) message += ": " + tail(err, 300);
  ErrorKind kind = (err.find("ermission denied") != std::string::npos || err.find("must be root") != std::string::npos)
                       ? ErrorKind::kPermissionDenied
                       : ErrorKind::kIo;
  return make_error(kind, message);
}

}  // namespace ptdoctor::host
