#include "pciback_hide.hpp"

#include <algorithm>

#include "bdf.hpp"
#include "text_util.hpp"

namespace ptdoctor::hostplug {
namespace {

void add_unique(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

// What the kernel does with a list that has a bad entry. torvalds/linux drivers/xen/xen-pciback/pci_stub.c,
// pcistub_init(): an entry sscanf cannot read jumps to parse_error ("Error parsing pci_devs_to_hide at ...") and
// an out-of-range slot or function makes pcistub_device_id_add() fail (goto out); both return before
// pci_register_driver(), so no device is seized at all, not even the good entries before the bad one. Built as a
// module, xen_pcibk_init() returns that error and the module does not load.
HideList rejected(std::size_t index, const std::string& shown, const std::string& problem) {
  HideList list;
  list.error = "entry " + std::to_string(index) + " \"" + shown + "\": " + problem +
               "; xen-pciback stops at the first bad entry and hides nothing from this list (a xen-pciback module "
               "then fails to load: \"Error parsing pci_devs_to_hide\")";
  return list;
}

}  // namespace

HideList parse_hide_list(std::string_view text) {
  HideList list;
  std::size_t pos = 0;
  std::size_t index = 0;
  text = trim(text);
  while (pos < text.size()) {
    ++index;
    if (text[pos] != '(') {
      return rejected(index, std::string(text.substr(pos, 40)),
                      "expected \"(\" to start (DDDD:BB:SS.F) or (BB:SS.F)");
    }
    std::size_t close = text.find(')', pos);
    if (close == std::string_view::npos) return rejected(index, std::string(text.substr(pos, 40)), "missing \")\"");
    std::string_view inner = trim(text.substr(pos + 1, close - pos - 1));
    std::string shown(text.substr(pos, close - pos + 1));
    if (auto bdf = normalize_bdf(inner)) {
      add_unique(list.bdfs, *bdf);
    } else if (auto slot = normalize_slot_wildcard(inner)) {
      add_unique(list.wildcards, *slot);
    } else if (auto bus = normalize_bus_wildcard(inner)) {
      // pcistub_init also reads " (%x:%x:*.*) %n" and " (%x:*.*) %n": every device of a bus
      // (linux:drivers/xen/xen-pciback/pci_stub.c).
      add_unique(list.wildcards, *bus);
    } else {
      return rejected(index, shown, "not a PCI address; write (DDDD:BB:SS.F), (BB:SS.F), (BB:SS.*) or (BB:*.*) in hex");
    }
    pos = close + 1;
    // sscanf's " (%x:%x.%x) %n" skips white space around each entry.
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  }
  return list;
}

}  // namespace ptdoctor::hostplug
