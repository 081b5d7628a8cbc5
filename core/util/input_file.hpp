#pragma once
// Reads a file the user named (--kernel-config, --pci-dump, --spec, --rules, --plan, a snapshot manifest) with a size cap
// suited to its kind, refusing anything but a regular file: /dev/zero never ends and a FIFO blocks forever.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ptdoctor/result.hpp"

namespace ptdoctor {

// What kind of input it is, for the message ("kernel config") and its cap.
struct InputKind {
  const char* what;
  std::size_t max_bytes;
};

// The caps, one per kind of input the user names. Each is far above any real file of its kind.
inline constexpr InputKind kKernelConfigInput{"kernel config (--kernel-config)", 64u << 20};  // a .config is ~250 KiB
inline constexpr InputKind kRulesFileInput{"rules file", 4u << 20};                          // ours are < 100 KiB
inline constexpr InputKind kPartsListInput{"parts list (--spec)", 1u << 20};                 // a few hundred bytes
inline constexpr InputKind kSavedPlanInput{"saved plan (--plan)", 16u << 20};                // a few config files
inline constexpr InputKind kPciDumpInput{"PCI dump (--pci-dump)", 16u << 20};  // lspci -xxxx: ~13 KiB per function
// Snapshot archives: snapshot::ExtractLimits::max_total_bytes (a compressed archive is never larger than that).

// A larger file is refused, never truncated: half a config or half a rule file would judge wrongly.
// Errors name the file, say why, and carry a kind callers map to an exit code: kNotFound (no such file),
// kPermissionDenied, kInvalidInput (not a regular file, over the cap), kIo (a read failed).
Result<std::string> read_input_file(const std::string& path, const InputKind& kind);

// The same checks without reading: for a file another component reads later (a plugin, libarchive).
Status check_input_file(const std::string& path, const InputKind& kind);

// "64 MiB", "512 KiB", "100 bytes".
std::string format_bytes(std::size_t bytes);

}  // namespace ptdoctor
