#pragma once
// What goes into a snapshot: every path the plugins read through the host view (HostView::accessed()), the sysfs
// attributes libpci reads for each PCI device, a fixed set of small files that describe the host, the command
// captures (xl info, xl dmesg, xl pci-assignable-list, raw CPUID) and a manifest. Nothing outside the policy in
// snapshot_policy.hpp is archived, so secrets (keys, /etc/shadow, home directories) never are.
#include <string>
#include <vector>

#include "ptdoctor/host_view.hpp"
#include "ptdoctor/json.hpp"
#include "snapshot/snapshot_writer.hpp"

namespace ptdoctor::snapshot {

struct CollectOptions {
  bool redact = false;
  std::vector<std::string> plugins;  // names of the plugins that ran, for the manifest
};

struct SnapshotContents {
  ArchiveEntries entries;
  Json manifest;  // also stored as .ptdoctor/manifest.json inside entries
  // For the summary the command prints.
  std::size_t files = 0, links = 0, directories = 0, captures = 0, bytes = 0;
};

// The host view must already have been used by the plugins (its accessed() list is the core of the snapshot).
SnapshotContents collect_snapshot(const HostView& host, const CollectOptions& options);

}  // namespace ptdoctor::snapshot
