#pragma once
// The fact model: one JSON-like tree keyed by dotted paths ("cpu.vmx", "pci.devices"), with provenance per fact
// and a reason for every fact that could not be collected. Each plugin writes only under its own namespace.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptdoctor/json.hpp"

namespace ptdoctor {

// "cpu.vmx" -> {"cpu","vmx"}. List elements are addressed by index: "pci.devices.0.bdf".
std::vector<std::string> split_fact_path(std::string_view path);

// Read access to facts collected so far (later plugins may build on earlier ones: gpu reads pci).
class FactReader {
 public:
  virtual ~FactReader() = default;
  // nullptr when absent. A present null means "collected, but unknown": see unknown_reason().
  virtual const Json* find(std::string_view path) const = 0;
  // Why a fact is unknown, searching the path and its ancestors ("cpu.msr" covers "cpu.msr.vmx_locked").
  virtual std::optional<std::string> unknown_reason(std::string_view path) const = 0;
};

// Write access for one plugin, rooted at its namespace: set("vmx", true, ...) writes "cpu.vmx".
class FactWriter {
 public:
  virtual ~FactWriter() = default;
  // source: where the value came from ("/proc/cpuinfo", "cpuid leaf 0x1 ecx bit 5", "xl info").
  virtual void set(std::string_view relative_path, Json value, std::string_view source) = 0;
  // The fact could not be collected; rules that need it become "unknown" and show this reason.
  virtual void unknown(std::string_view relative_path, std::string_view reason) = 0;
  // A problem with the input the user should see even when no rule looks at it (bad checksum, garbage line).
  // Say what and where: "/sys/firmware/acpi/tables/DMAR: offset 0x30: length 0 subtable, parsing stopped".
  virtual void diagnostic(std::string_view message) = 0;
};

class FactStore : public FactReader {
 public:
  const Json* find(std::string_view path) const override;
  std::optional<std::string> unknown_reason(std::string_view path) const override;

  // Writes the value at the absolute path, creating maps on the way. Returns false when a path component
  // runs through a non-map value.
  bool set(std::string_view path, Json value, std::string_view source);
  void set_unknown(std::string_view path, std::string_view reason);

  const Json& tree() const;
  // The tree as it is now, kept alive for whoever holds it: rule results refer into it and a report shows it
  // without copying it (a tree of thousands of devices). The store never changes a shared tree: a later set()
  // first copies it, so what was shared stays as it was and pointers find() gave into it stay valid.
  std::shared_ptr<const Json> shared_tree() const;
  // Hands the whole tree over and leaves an empty one (find() then finds nothing): for the last user of the facts,
  // which would otherwise copy a tree of thousands of devices. Non-virtual: plugins built against this header are
  // unaffected.
  Json release_tree();
  const std::map<std::string, std::string>& provenance() const { return provenance_; }
  const std::map<std::string, std::string>& unknown_reasons() const { return unknown_; }

 private:
  Json& writable_tree();

  std::shared_ptr<Json> tree_;  // null: empty (not yet written, or moved from)
  std::map<std::string, std::string> provenance_;
  std::map<std::string, std::string> unknown_;
};

}  // namespace ptdoctor
