// kernel.release, kernel.version and the kernel configuration.
#include <cctype>

#include "collectors.hpp"
#include "gzip_reader.hpp"
#include "input_file.hpp"
#include "kconfig.hpp"
#include "text_util.hpp"

namespace ptdoctor::hostplug {
namespace {

constexpr std::size_t kMaxShownProblems = 10;
constexpr std::size_t kMaxConfigBytes = 64u << 20;

// "6.1.0-13-amd64" -> "6.1.0"; "6.12" -> "6.12.0"; nullopt when the release does not start with digits.
std::optional<std::string> numeric_version(std::string_view release) {
  std::string parts[3];
  std::size_t pos = 0;
  int count = 0;
  while (count < 3 && pos < release.size() && std::isdigit(static_cast<unsigned char>(release[pos]))) {
    while (pos < release.size() && std::isdigit(static_cast<unsigned char>(release[pos]))) parts[count] += release[pos++];
    ++count;
    if (pos < release.size() && release[pos] == '.') {
      ++pos;
    } else {
      break;
    }
  }
  if (count < 2) return std::nullopt;
  return parts[0] + "." + parts[1] + "." + (count == 3 ? parts[2] : "0");
}

bool is_gzip(std::string_view data) { return data.size() >= 2 && data[0] == '\x1f' && data[1] == '\x8b'; }

// A file the user named with --kernel-config lives outside the root: it is read directly, not via the host view,
// but with the same cap and the same refusal of devices and FIFOs (`--kernel-config /dev/zero` must not hang).
Result<std::string> read_user_file(const std::string& path) {
  return read_input_file(path, kKernelConfigInput);
}

std::optional<KernelConfig> write_config(const std::string& name, std::string data, FactWriter& out) {
  bool complete = true;
  if (is_gzip(data)) {
    Gunzipped unpacked = gunzip(data);
    if (unpacked.error) {
      out.diagnostic(name + ": " + *unpacked.error + "; the options decoded before the error are used. Check the " +
                     "file (`zcat " + name + " | tail`) or pass an intact config with --kernel-config");
      complete = false;
    }
    data = std::move(unpacked.data);
  }
  Kconfig config = parse_kconfig(data);
  for (std::size_t i = 0; i < config.problems.size() && i < kMaxShownProblems; ++i) {
    out.diagnostic(name + ": line " + std::to_string(config.problems[i].line) + ": \"" + config.problems[i].text +
                   "\" is not CONFIG_NAME=value or \"# CONFIG_NAME is not set\"; line ignored");
  }
  if (config.problems.size() > kMaxShownProblems) {
    out.diagnostic(name + ": " + std::to_string(config.problems.size() - kMaxShownProblems) +
                   " more unreadable lines ignored");
  }
  if (!config.problems.empty()) complete = false;
  if (config.options.empty() && !complete) {
    out.unknown("config", name + ": no option could be read");
    out.set("config_source", name, name);
    return std::nullopt;
  }
  KernelConfig read_here;
  for (const char* option : kConfigOptionsReadHere) {
    auto found = config.options.find(std::string_view(option));
    if (found != config.options.end()) read_here.emplace(option, found->second.get<std::string>());
  }
  out.set("config", Json(std::move(config.options)), name);
  out.set("config_source", name, name);
  out.set("config_complete", complete, name);
  return read_here;
}

}  // namespace

std::optional<std::string> collect_release(const CollectContext& context, FactWriter& out) {
  const std::string path = "/proc/sys/kernel/osrelease";
  auto text = context.host.read_file(path);
  if (!text) {
    out.unknown("release", read_failure(path, text.error()));
    out.unknown("version", read_failure(path, text.error()));
    return std::nullopt;
  }
  std::string release(trim(*text));
  if (release.empty()) {
    out.unknown("release", path + " is empty");
    out.unknown("version", path + " is empty");
    return std::nullopt;
  }
  out.set("release", release, path);
  if (auto version = numeric_version(release)) {
    out.set("version", *version, path);
  } else {
    out.unknown("version", path + ": \"" + release + "\" does not start with a version number");
  }
  return release;
}

std::optional<KernelConfig> collect_config(const CollectContext& context, const std::optional<std::string>& release, FactWriter& out) {
  auto given = context.options.find("kernel-config");
  if (given != context.options.end() && !given->second.empty()) {
    const std::string& path = given->second.front();
    auto data = read_user_file(path);
    if (!data) {
      out.diagnostic(data.error().message + "; check the path given to --kernel-config");
      out.unknown("config", data.error().message);
      return std::nullopt;
    }
    return write_config(path, std::move(*data), out);
  }
  // The running kernel's own copy first (CONFIG_IKCONFIG_PROC), then the one Debian installs next to it.
  std::vector<std::string> candidates = {"/proc/config.gz"};
  if (release) candidates.push_back("/boot/config-" + *release);
  std::string tried;
  for (const std::string& path : candidates) {
    auto data = context.host.read_file(path, kMaxConfigBytes);
    if (data) return write_config(path, std::move(*data), out);
    tried += (tried.empty() ? "" : "; ") + read_failure(path, data.error());
  }
  out.unknown("config", tried + (release ? "" : " (release unknown, /boot/config-<release> not tried)") +
                            ". Pass the kernel's config with --kernel-config PATH");
  return std::nullopt;
}

}  // namespace ptdoctor::hostplug
