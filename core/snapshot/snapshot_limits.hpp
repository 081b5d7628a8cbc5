#pragma once
// Limits a snapshot archive must stay within before anything is extracted from it. A snapshot of a real host is a
// few MiB and a few thousand entries (sysfs PCI attributes, ACPI tables, /proc files); anything far beyond that is
// damaged or hostile (an archive bomb), and is refused with a message naming the entry that crossed the line.
#include <cstddef>
#include <cstdint>

namespace ptdoctor::snapshot {

struct ExtractLimits {
  std::uint64_t max_total_bytes = 256ull << 20;  // all entries together, uncompressed
  std::uint64_t max_file_bytes = 64ull << 20;    // one file (the host view reads no more than this either)
  std::size_t max_entries = 50000;
  std::size_t max_path_length = 1024;            // bytes, relative path
  std::size_t max_depth = 64;                    // path components
  // Uncompressed / compressed, judged once more than ratio_grace_bytes have come out of the archive: tar
  // headers and sysfs files compress well (50:1), a bomb by orders of magnitude more.
  std::uint64_t max_ratio = 500;
  std::uint64_t ratio_grace_bytes = 16ull << 20;
};

}  // namespace ptdoctor::snapshot
