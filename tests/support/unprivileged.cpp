#include "unprivileged.hpp"

#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

namespace ptdoctor::testing {
namespace fs = std::filesystem;
namespace {

bool drop_to_nobody() {
  return ::setgroups(0, nullptr) == 0 && ::setresgid(kNobody, kNobody, kNobody) == 0 &&
         ::setresuid(kNobody, kNobody, kNobody) == 0 && ::geteuid() == kNobody;
}

// A copy of the stage directory (bin/, lib/, share/) that nobody can read, made once per test process.
std::string world_readable_stage_binary() {
  static const std::string binary = [] {
    const fs::path bin(PTDOCTOR_TEST_BIN);
    const fs::path stage = bin.parent_path().parent_path();
    std::string base = (fs::temp_directory_path() / "ptdoctor-stage-XXXXXX").string();
    if (::mkdtemp(base.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    fs::copy(stage, base, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    fs::permissions(base, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
    for (const auto& entry : fs::recursive_directory_iterator(base)) {
      if (entry.is_symlink()) continue;
      fs::permissions(entry.path(), fs::perms::group_read | fs::perms::others_read |
                                        (entry.is_directory() || (entry.status().permissions() & fs::perms::owner_exec) != fs::perms::none
                                             ? fs::perms::group_exec | fs::perms::others_exec
                                             : fs::perms::none),
                      fs::perm_options::add);
    }
    return (fs::path(base) / bin.parent_path().filename() / bin.filename()).string();
  }();
  return binary;
}

}  // namespace

std::string as_unprivileged(const std::function<std::string()>& work) {
  if (::geteuid() != 0) return work();
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::close(pipe_fds[0]);
    std::string result = drop_to_nobody() ? "+" + work() : "-cannot drop privileges to uid 65534";
    const char* data = result.data();
    std::size_t left = result.size();
    while (left > 0) {
      ssize_t written = ::write(pipe_fds[1], data, left);
      if (written <= 0) break;
      data += written;
      left -= static_cast<std::size_t>(written);
    }
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string result;
  char buffer[4096];
  for (ssize_t got; (got = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) result.append(buffer, static_cast<std::size_t>(got));
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || result.empty()) throw std::runtime_error("the unprivileged child died");
  if (result[0] == '-') throw std::runtime_error(result.substr(1));
  return result.substr(1);
}

CliResult run_ptdoctor_unprivileged(const std::vector<std::string>& args) {
  if (::geteuid() != 0) return run_ptdoctor(args);
  std::string binary = PTDOCTOR_TEST_BIN;
  bool reachable = as_unprivileged([&] { return std::string(::access(binary.c_str(), X_OK) == 0 ? "y" : "n"); }) == "y";
  if (!reachable) binary = world_readable_stage_binary();
  return run_ptdoctor(args, {}, {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"}, binary);
}

}  // namespace ptdoctor::testing
