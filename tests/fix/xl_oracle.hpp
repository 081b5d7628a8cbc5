#pragma once
// Xen's own config parser (libxlutil) as the judge of the configs we generate.
#include <string>
#include <vector>

namespace ptdoctor::testing {

struct XlParsed {
  bool ok = false;
  std::string error;                    // what libxlutil reported
  std::vector<std::string> pci;         // pci= entries as written
  std::vector<bool> pci_relaxed;        // rdm_policy=relaxed, as libxlutil parsed each entry
  std::vector<std::string> pci_bdf;     // DDDD:BB:DD.F as libxlutil parsed each entry
  std::vector<std::string> disks;
  std::vector<bool> disks_ok;           // xlu_disk_parse accepted the spec
  bool has(const std::string& key) const;
  std::vector<std::string> keys;
};

XlParsed parse_with_libxlutil(const std::string& text);

}  // namespace ptdoctor::testing
