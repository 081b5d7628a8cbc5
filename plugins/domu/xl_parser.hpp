#pragma once
// Xen's own config parser, libxlutil (libxen-dev), behind a small C++ face: it decides what xl accepts, so
// ptdoctor never re-implements xl's grammar. Only parsing is used: no hypervisor, no libxl context.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor::domu {

// One pci= entry as xl reads it (tools/xl/xl_parse.c: the pci_* globals are the defaults, then
// xlu_pci_parse_spec_string applies the entry's own options).
struct PciSpec {
  bool parsed = false;
  std::string error;           // libxlutil's report when not parsed
  std::string bdf;             // "0000:08:00.0"; for BB:DD.* the slot's function 0
  bool all_functions = false;  // BB:DD.* (xl.cfg(5): every function of the slot)
  bool rdm_relaxed = false;    // rdm_policy=relaxed given (the default is strict)
  bool msitranslate = false;
  bool permissive = false;
  bool seize = false;
};

struct PciDefaults {
  bool msitranslate = false;  // pci_msitranslate=
  bool permissive = false;    // pci_permissive=
  bool seize = false;         // pci_seize=
};

class XlConfig {
 public:
  // Parses `text`; `name` is the file name libxlutil puts in its messages.
  XlConfig(std::string_view text, const std::string& name);
  ~XlConfig();
  XlConfig(const XlConfig&) = delete;
  XlConfig& operator=(const XlConfig&) = delete;

  bool ok() const { return ok_; }
  // What libxlutil reported (parse errors, with its own line numbers), trimmed; empty when it said nothing.
  std::string report() const;

  // A setting as text (xl stores numbers as text too); nullopt when absent or a list.
  std::optional<std::string> text(const char* key) const;
  std::optional<long> number(const char* key) const;
  // A list setting's items; nullopt when absent or not a list.
  std::optional<std::vector<std::string>> list(const char* key) const;

  PciSpec pci(const std::string& spec, const PciDefaults& defaults) const;
  // Whether xl would use a global rdm= value (tools/libs/util/libxlu_pci.c xlu_rdm_parse returning 0).
  bool rdm_accepted(const std::string& value) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  bool ok_ = false;
};

}  // namespace ptdoctor::domu
