#pragma once
// A pci_access that can never end the process. libpci's default error handler prints and calls exit(); ours
// records the message and longjmps back to a setjmp taken just before the libpci call (see guarded()).
//
// Why longjmp and not an exception: libpci is C, compiled without unwind tables, so throwing through its frames
// is undefined. longjmp out of C frames is what libpci's own design expects of a non-returning error handler.
// It is safe here because between the setjmp in guarded() and the libpci call there is only a lambda with no
// objects that have destructors (the C++ rule for longjmp). What is lost: memory libpci had allocated in the call
// that failed; after an error the session is marked broken and no further libpci call is made with it except
// pci_cleanup (also guarded).
#include <optional>
#include <string>
#include <vector>

#include "pci_ids.hpp"

extern "C" {
#include <pci/pci.h>
}

namespace ptdoctor::pci {

class LibpciSession {
 public:
  enum class Method { kSysfs, kDump };
  // path: the sysfs.path (".../sys/bus/pci") or the dump file. Names come from libpci's default pci.ids.
  LibpciSession(Method method, const std::string& path);
  ~LibpciSession();
  LibpciSession(const LibpciSession&) = delete;
  LibpciSession& operator=(const LibpciSession&) = delete;

  // pci_init + pci_scan_bus. False on a libpci error (see errors()).
  bool scan();
  pci_dev* devices() const { return broken_ ? nullptr : access_->devices; }
  // Frees the first of devices() once its record is built and returns the new first: walking the list this way,
  // the pci_dev structures (~0.5 KiB per function with their capability lists) are not all held beside the
  // finished records.
  pci_dev* release_first();
  bool fill(pci_dev* dev, int flags);
  // Config bytes [offset, offset + length) into buffer through libpci's access method: false when not all of them
  // could be read (libpci's sysfs and dump methods fail a short read as a whole).
  bool read(pci_dev* dev, int offset, unsigned char* buffer, int length);
  // Reads pci.ids now (PciIds; libpci itself is asked only on a lookup), keeping the names of these devices
  // (vendor << 16 | device each, in any order) and their vendors: a host's functions share a few dozen of the
  // file's ~36,000. Null: every name.
  void read_names(const std::vector<std::uint32_t>* devices);
  // Names from libpci's pci.ids ("" when unknown), read by PciIds unless only libpci itself can tell.
  std::string lookup_vendor(unsigned vendor);
  std::string lookup_device(unsigned vendor, unsigned device);
  const char* string_property(pci_dev* dev, unsigned property);

  // Through sysfs (live or under --root), whether some function's config space has read to its last byte; what
  // that tells of the others is in ConfigReader's constructor. Never for a dump, whose functions list what they list.
  bool whole_config_read() const { return sysfs_ && whole_config_read_; }
  void note_whole_config_read() { whole_config_read_ = true; }

  bool broken() const { return broken_; }
  const std::vector<std::string>& errors() const { return errors_; }
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  template <class Fn>
  bool guarded(Fn&& fn);
  // The names file: read_names' (or every name, read on the first lookup without it).
  const PciIds& names();

  pci_access* access_ = nullptr;
  bool broken_ = false;
  bool initialised_ = false;
  bool sysfs_ = false;
  bool whole_config_read_ = false;
  std::vector<std::string> errors_;
  std::vector<std::string> warnings_;
  std::optional<PciIds> names_;
};

}  // namespace ptdoctor::pci
