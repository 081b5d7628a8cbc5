#pragma once
// Vendor and device names from the pci.ids file libpci would use, without libpci's load of the whole file.
//
// libpci's pci_lookup_name parses every line of pci.ids into a hash on the first lookup (~25 M of ~149 M
// instructions of a live `check`, most of it gzgets and one allocation per entry). This reads the file once,
// checks every line by libpci's own grammar (pciutils lib/names-parse.c, id_parse_list) and keeps only the names
// of the devices asked for and of their vendors. The answers are libpci's:
//  - a missing file (and, for "X.gz", a missing "X") means every name is unknown, as in libpci;
//  - a file libpci would reject (parse error, duplicate entry, generic subsystem of an unknown vendor), a
//    compressed one, one with a NUL byte or a line longer than this reader vouches for, or any read error gives
//    kUnsure: the caller must ask libpci itself, which then behaves (errors included) exactly as before.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor::pci {

class PciIds {
 public:
  enum class State {
    kIndexed,  // the file was read and is valid: vendor() / device() are libpci's answers
    kAbsent,   // no file: every name is unknown, as libpci says
    kUnsure,   // ask libpci (see above)
  };

  // Reads `path` as libpci's name loader opens it: when it is missing and ends in ".gz", the name without ".gz".
  // Only the names of `wanted` devices (vendor << 16 | device each, any order) and of their vendors are kept
  // (every name without it); vendor() and device() answer "" for any other. `block`: how much is read at a time
  // (tests).
  static PciIds open(const std::string& path, const std::vector<std::uint32_t>* wanted = nullptr,
                     std::size_t block = std::size_t{64} << 10);
  // The text of a pci.ids file (tests).
  static PciIds parse(std::string_view text);
  // Nothing read: ask libpci.
  static PciIds unsure() { return PciIds(State::kUnsure); }

  State state() const { return state_; }
  // The name, or "" when unknown (libpci's NULL under PCI_LOOKUP_NO_NUMBERS). Only meaningful when kIndexed.
  std::string vendor(unsigned vendor) const;
  std::string device(unsigned vendor, unsigned device) const;

  // Where one name is in the file's text.
  struct Entry {
    std::uint32_t key;     // vendor, or vendor << 16 | device
    std::uint32_t offset;  // of the name in names_
    std::uint32_t length;
  };

 private:
  explicit PciIds(State state) : state_(state) {}
  // Once every line is accepted: the entries sorted, the state kIndexed.
  void finish();
  std::string find(const std::vector<Entry>& entries, std::uint32_t key) const;

  State state_;
  std::string names_;           // the names kept, one after the other
  std::vector<Entry> vendors_;  // sorted by key; offset and length in names_
  std::vector<Entry> devices_;  // sorted by key
};

}  // namespace ptdoctor::pci
