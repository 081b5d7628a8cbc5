#pragma once
// The host view: the only way any part of ptdoctor reads the machine it judges.
// Every path is an absolute host path ("/proc/cpuinfo") interpreted inside the root given by --root; reads never
// leave that root, whatever symlinks inside it say. Command outputs come from <root>/.ptdoctor/capture/<name>
// when captured, and are run for real only on the live host.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ptdoctor/result.hpp"

namespace ptdoctor {

struct FileInfo {
  enum class Type { kRegular, kDirectory, kSymlink, kCharDevice, kOther };
  Type type = Type::kOther;
  std::uint64_t size = 0;
  unsigned mode = 0;  // permission bits
  unsigned uid = 0;
};

// One entry of a directory listing, typed as the entry itself: a symlink is kSymlink, whatever it points at.
struct DirEntry {
  std::string name;
  FileInfo::Type type = FileInfo::Type::kOther;
};

// Reads larger than this are refused: no file a plugin needs is near it, and a hostile tree can hold anything.
inline constexpr std::size_t kDefaultReadLimit = 64u << 20;

class HostView {
 public:
  virtual ~HostView() = default;

  // The root as given, for display ("/" or "tests/fixtures/guide").
  virtual const std::string& root() const = 0;
  // True when this view is the machine we run on: commands and CPUID may be executed.
  virtual bool live() const = 0;

  // Whole file (regular files only; FIFOs, devices and directories are refused without blocking).
  virtual Result<std::string> read_file(std::string_view path, std::size_t limit = kDefaultReadLimit) const = 0;
  // Bytes at an offset, for register-like files (/dev/cpu/0/msr, PCI config space). Regular or char device.
  virtual Result<std::string> read_at(std::string_view path, std::uint64_t offset, std::size_t length) const = 0;
  // Sorted entry names without "." and "..".
  virtual Result<std::vector<std::string>> list_dir(std::string_view path) const = 0;
  // The same listing with each entry's own type, links never followed: what a caller that must refuse links and
  // special files learns from one read of the directory instead of a read_link and a stat per name.
  virtual Result<std::vector<DirEntry>> list_dir_entries(std::string_view path) const = 0;
  // The raw target of a symlink, as stored.
  virtual Result<std::string> read_link(std::string_view path) const = 0;
  // The path with every link resolved inside the root, as an absolute host path ("/sys/devices/pci0000:00/...").
  virtual Result<std::string> resolve(std::string_view path) const = 0;
  // Information about the object a path names, following links inside the root.
  virtual Result<FileInfo> stat(std::string_view path) const = 0;
  virtual bool exists(std::string_view path) const = 0;

  // Output of a command that has no file: <root>/.ptdoctor/capture/<capture_name> when it exists; otherwise, on
  // the live host only, argv run directly (no shell) with a timeout. Offline without a capture: kNotCaptured.
  virtual Result<std::string> command_output(std::string_view capture_name, const std::vector<std::string>& argv,
                                             std::chrono::milliseconds timeout) const = 0;
  // Only the capture file, never running anything (for data such as raw CPUID that no command produces here).
  virtual Result<std::string> capture(std::string_view capture_name) const = 0;

  // The real filesystem path for a host path, for libraries that insist on one (libpci's sysfs.path).
  // The caller must have checked the subtree with resolve() first: the library will follow links itself.
  virtual std::string real_path(std::string_view path) const = 0;

  // Every host path and capture read so far, for `ptdoctor snapshot` (empty when the view was opened without
  // recording, as every other command opens it).
  virtual std::vector<std::string> accessed() const = 0;
  // Paths a plugin reads through another library (libpci) are noted here so snapshots include them.
  virtual void note_access(std::string_view path) const = 0;
};

}  // namespace ptdoctor
