#pragma once
// Reading a snapshot archive safely: `check --snapshot host.tar.gz` extracts into a private directory (mkdtemp,
// 0700) that is removed when the ExtractedSnapshot goes away, and the extracted tree is then judged like --root.
// Nothing in the archive can write outside that directory: entries with "..", absolute names, links leaving the
// root, hard links, devices, FIFOs and entries below a symlink are refused, as is anything beyond ExtractLimits.
#include <memory>
#include <string>

#include "ptdoctor/json.hpp"
#include "ptdoctor/result.hpp"
#include "snapshot/snapshot_limits.hpp"

namespace ptdoctor::snapshot {

class ExtractedSnapshot {
 public:
  ~ExtractedSnapshot();
  ExtractedSnapshot(const ExtractedSnapshot&) = delete;
  ExtractedSnapshot& operator=(const ExtractedSnapshot&) = delete;

  // The extraction directory: a host root.
  const std::string& root() const { return root_; }
  // The archive as given.
  const std::string& archive() const { return archive_; }
  // /.ptdoctor/manifest.json, or null when the archive has none (a hand-made tree is still judged).
  const Json& manifest() const { return manifest_; }
  std::size_t entries() const { return entries_; }

 private:
  friend Result<std::unique_ptr<ExtractedSnapshot>> extract_snapshot(const std::string&, const ExtractLimits&,
                                                                     const std::string&);
  ExtractedSnapshot(std::string archive, std::string root) : archive_(std::move(archive)), root_(std::move(root)) {}

  std::string archive_;
  std::string root_;
  Json manifest_;
  std::size_t entries_ = 0;
};

// temp_parent: where the private directory is made; empty means $TMPDIR or /tmp.
// Errors (kind kInvalidInput) name the archive, the entry and what is wrong; kUnsupported when the archive module
// (archive_module.hpp), loaded here if it is not yet, cannot be.
Result<std::unique_ptr<ExtractedSnapshot>> extract_snapshot(const std::string& archive_path,
                                                            const ExtractLimits& limits = {},
                                                            const std::string& temp_parent = "");

}  // namespace ptdoctor::snapshot
