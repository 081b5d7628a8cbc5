#include "snapshot/snapshot_policy.hpp"

#include <array>
#include <cctype>

namespace ptdoctor::snapshot {
namespace {

constexpr const char* kNotAllowed = "not on the snapshot allow-list for /etc (may hold secrets)";
constexpr const char* kPrivate = "private to users or processes, never archived";
constexpr const char* kSecretName = "named like a key or password file, never archived";

bool under(std::string_view path, std::string_view prefix) {
  if (!path.starts_with(prefix)) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/' || prefix.back() == '/';
}

// /etc files ptdoctor's plugins judge (see docs/snapshots.md); directories include what is below them.
constexpr std::array kEtcAllowed = {
    "/etc/default/grub", "/etc/default/grub.d", "/etc/default/xen", "/etc/default/xendomains",
    "/etc/modprobe.d", "/etc/modules", "/etc/modules-load.d", "/etc/xen", "/etc/hostname",
    "/etc/os-release", "/etc/debian_version", "/etc/initramfs-tools/modules", "/etc/initramfs-tools/conf.d",
    "/etc/kernel/cmdline", "/etc/dracut.conf", "/etc/dracut.conf.d",
};

constexpr std::array kPrivatePrefixes = {
    "/root", "/home", "/run", "/tmp", "/var/tmp", "/proc/self", "/proc/thread-self", "/proc/kcore",
    "/proc/kmsg", "/sys/firmware/efi/efivars", "/dev",
};

bool secret_name(std::string_view path) {
  std::string_view name = path.substr(path.rfind('/') + 1);
  for (std::string_view bad : {"shadow", "gshadow", "passwd", "secret", "private", ".pem", ".key", "id_rsa",
                               "id_ed25519", "ssh_host", "krb5.keytab"}) {
    if (name.find(bad) != std::string_view::npos) return true;
  }
  return false;
}

bool process_dir(std::string_view path) {
  if (!under(path, "/proc")) return false;
  std::string_view rest = path.substr(5);
  if (rest.empty()) return false;
  rest.remove_prefix(1);
  std::string_view first = rest.substr(0, rest.find('/'));
  if (first.empty()) return false;
  for (char c : first) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

const char* excluded_reason(std::string_view path) {
  if (secret_name(path)) return kSecretName;
  for (std::string_view prefix : kPrivatePrefixes) {
    if (under(path, prefix)) return kPrivate;
  }
  if (process_dir(path)) return kPrivate;
  if (under(path, "/var") && path != "/var/lib/dpkg/status" && path != "/var/lib" && path != "/var/lib/dpkg") {
    return kPrivate;
  }
  if (path == "/etc") return nullptr;  // the directory itself, for its allowed children
  if (under(path, "/etc")) {
    for (std::string_view allowed : kEtcAllowed) {
      if (under(path, allowed) || under(allowed, path)) return nullptr;
    }
    return kNotAllowed;
  }
  return nullptr;
}

}  // namespace ptdoctor::snapshot
