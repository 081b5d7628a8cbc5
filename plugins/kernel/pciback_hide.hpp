#pragma once
// xen-pciback's hide list: "(DDDD:BB:SS.F)(BB:SS.F)(BB:SS.*)(BB:*.*)..." (drivers/xen/xen-pciback/pci_stub.c).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor::hostplug {

struct HideList {
  // What xen-pciback hides with this list: empty whenever `error` is set, because the kernel gives up on the
  // whole list at its first bad entry.
  std::vector<std::string> bdfs;        // full BDFs, in order, without repeats
  std::vector<std::string> wildcards;   // slots "dddd:bb:ss" and buses "dddd:bb" whose every function is hidden
  // The first entry xen-pciback cannot use: "entry 2 \"(8:0)\": not a PCI address ...". Nothing after it is read.
  std::optional<std::string> error;
};

HideList parse_hide_list(std::string_view text);

}  // namespace ptdoctor::hostplug
