#pragma once
// Which files are domU configs: every one in /etc/xen, or the files the user named with --domu. All reads go
// through the host view (inside --root), capped in size; FIFOs, devices and directories are never opened.
#include <optional>
#include <string>
#include <vector>

#include "ptdoctor/host_view.hpp"

namespace ptdoctor::domu {

// Far above any real domU config (the guide's is under 2 KiB); libxlutil reads the whole text at once.
inline constexpr std::size_t kMaxConfigBytes = 256u << 10;

struct ConfigFile {
  std::string path;     // host path, "/etc/xen/win"
  std::string origin;   // "/etc/xen" or "--domu"
  std::string text;     // empty when unreadable
  std::string error;    // why it could not be read; empty when read
};

struct SkippedFile {
  std::string path;
  std::string reason;
};

struct ConfigSelection {
  std::vector<ConfigFile> files;
  std::vector<SkippedFile> skipped;
  std::optional<std::string> unknown;  // /etc/xen could not be listed (not "absent": that is no configs)
};

// `named` empty: scan /etc/xen. Otherwise exactly the named host paths (absolute; relative ones are refused).
ConfigSelection select_configs(const HostView& host, const std::vector<std::string>& named);

// Whether a file that is not *.cfg reads like an xl domain config (a top-level name=, type=, builder=, memory=,
// disk= or kernel= assignment), so /etc/xen/win is judged while scripts and READMEs are not.
bool looks_like_domain_config(const std::string& text);

}  // namespace ptdoctor::domu
