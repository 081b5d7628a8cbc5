#pragma once
// A private directory laid out like /sys/bus/pci whose devices/<bdf> entries are absolute links to the checked,
// fully resolved device directories inside the root. libpci reads this when the root's own tree had refused
// entries or links whose lexical path differs from their resolution (so libpci would go somewhere else).
// It lives in the tool's temporary directory, never in the host root, and is removed with this object.
#include <string>
#include <vector>

#include "ptdoctor/host_view.hpp"
#include "ptdoctor/result.hpp"
#include "sysfs_guard.hpp"

namespace ptdoctor::pci {

class ShadowTree {
 public:
  static Result<ShadowTree> create(const HostView& host, const std::vector<CheckedDevice>& devices);
  ShadowTree(ShadowTree&& other) noexcept;
  ShadowTree& operator=(ShadowTree&&) = delete;
  ~ShadowTree();
  // The directory to give libpci as sysfs.path.
  const std::string& path() const { return path_; }

 private:
  explicit ShadowTree(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace ptdoctor::pci
