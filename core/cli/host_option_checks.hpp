#pragma once
// The host options checked before anything is collected, so that a typo is a usage error (exit 64) and a file that
// cannot be read an input error (exit 66), each in one line naming the option and the value, instead of a full
// report in which the mistake turns into a "not ready" or a page of unknowns.
#include <string>
#include <vector>

#include "cli/session.hpp"
#include "input_file.hpp"

namespace ptdoctor::cli {

// A file the user named, checked without reading it (a plugin or libarchive reads it later): InputError (66, or 74
// for a failed read) naming it otherwise.
void require_input_file(const std::string& path, const InputKind& kind);

// --gpu given at most once and --usb each at most once, every value a PCI address; --kernel-config and --pci-dump
// readable regular files. Throws UsageError or InputError.
void check_host_options(const CommonOptions& options);

// Every --domu names a regular file inside the host tree (the domu plugin reads it through the host view).
// Throws InputError.
void check_domu_files(const HostView& host, const std::vector<std::string>& host_paths);

}  // namespace ptdoctor::cli
