#pragma once
// xen-pciback's hide list: "(DDDD:BB:SS.F)(BB:SS.F)(BB:SS.*)..." (drivers/xen/xen-pciback/pci_stub.c).
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor::hostplug {

struct HideList {
  std::vector<std::string> bdfs;        // full BDFs, in order, without repeats
  std::vector<std::string> wildcards;   // slots "dddd:bb:ss" whose every function is hidden
  std::vector<std::string> errors;      // one per bad entry: "entry 2 \"(8:0)\": ..."
};

HideList parse_hide_list(std::string_view text);

}  // namespace ptdoctor::hostplug
