#pragma once
// A parts list for `ptdoctor check --spec parts.yaml`: the machine someone is about to buy or build.
//   kind: parts
//   name: "Guide machine"            # optional, shown in the report
//   cpu: "Intel Core i7-920"
//   chipset: "X58/ICH10R"            # or motherboard: "ASUS P6T" (mapped to its chipset by the database)
//   gpus: ["Radeon HD 6970"]         # marketing names or PCI ids ("1002:6718"); the first is the one to pass
//   xen: "4.17"
//   dom0: {distribution: "Debian 12", kernel: "6.1"}
#include <string>
#include <vector>

#include "ptdoctor/result.hpp"

namespace ptdoctor::spec {

struct PartsList {
  std::string path;
  std::string name;
  std::string cpu;
  std::string chipset;
  std::string motherboard;
  std::vector<std::string> gpus;
  std::string xen;
  std::string distribution;
  std::string kernel;
};

// Errors name file:line:column; unknown keys are errors (a typo must not silently drop a part).
Result<PartsList> load_parts_list(const std::string& path);
// The same from text already read; `path` names it in errors.
Result<PartsList> parse_parts_list(const std::string& contents, const std::string& path);

}  // namespace ptdoctor::spec
