#pragma once
// Which host paths a snapshot may hold. /etc is allow-listed (only what ptdoctor judges: GRUB defaults, modprobe
// options, /etc/modules, Xen configs, the OS release); home directories, /root, /var, /run, process directories
// and anything named like a key are refused everywhere.
#include <string_view>

namespace ptdoctor::snapshot {

// nullptr when the path may be archived, else why not (for the manifest).
const char* excluded_reason(std::string_view host_path);

}  // namespace ptdoctor::snapshot
