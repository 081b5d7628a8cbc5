#pragma once
// Vendor and device names from the pci.ids file libpci would use, without libpci's load of the whole file.
//
// libpci's pci_lookup_name parses every line of pci.ids into a hash on the first lookup (~25 M of ~149 M
// instructions of a live `check`, most of it gzgets and one allocation per entry). This reads the file once,
// checks every line by libpci's own grammar (pciutils lib/names-parse.c, id_parse_list) and keeps only where each
// vendor and device name is; a name is copied out when it is asked for. The answers are libpci's:
//  - a missing file (and, for "X.gz", a missing "X") means every name is unknown, as in libpci;
//  - a file libpci would reject (parse error, duplicate entry, generic subsystem of an unknown vendor), a
//    compressed one, one with a NUL byte or a line longer than this reader vouches for, or any read error gives
//    kUnsure: the caller must ask libpci itself, which then behaves (errors included) exactly as before.
#include <cstdint>
#include <memory>
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
  static PciIds open(const std::string& path);
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
    std::uint32_t offset;  // of the name
    std::uint32_t length;
  };

 private:
  explicit PciIds(State state) : state_(state) {}
  // Checks and indexes data[0, size), keeping copies of the names only (the caller keeps the bytes).
  static PciIds index(const char* data, std::size_t size);
  std::string find(const std::vector<Entry>& entries, std::uint32_t key) const;
  // Copies the names out of the file's text into text_ and points the entries at them.
  void keep_names_only(const char* text);

  State state_;
  std::unique_ptr<char[]> text_;  // the vendor and device names, one after the other, unterminated
  std::vector<Entry> vendors_;  // sorted by key
  std::vector<Entry> devices_;  // sorted by key
};

}  // namespace ptdoctor::pci
