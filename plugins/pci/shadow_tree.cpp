#include "shadow_tree.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <unistd.h>

namespace ptdoctor::pci {

Result<ShadowTree> ShadowTree::create(const HostView& host, const std::vector<CheckedDevice>& devices) {
  std::error_code ec;
  std::string pattern = (std::filesystem::temp_directory_path(ec) / "ptdoctor-pci-XXXXXX").string();
  if (ec) pattern = "/tmp/ptdoctor-pci-XXXXXX";
  if (!::mkdtemp(pattern.data())) {
    return make_error(ErrorKind::kIo, "cannot create a temporary directory " + pattern + ": " +
                                          std::strerror(errno) + "; set TMPDIR to a writable directory");
  }
  ShadowTree tree(pattern);
  const std::string devices_dir = pattern + "/devices";
  std::filesystem::create_directory(devices_dir, ec);
  if (ec) return make_error(ErrorKind::kIo, "cannot create " + devices_dir + ": " + ec.message());
  for (const CheckedDevice& device : devices) {
    const std::string link = devices_dir + "/" + device.bdf;
    if (::symlink(host.real_path(device.device_path).c_str(), link.c_str()) != 0) {
      return make_error(ErrorKind::kIo, "cannot create " + link + ": " + std::strerror(errno));
    }
  }
  return tree;
}

ShadowTree::ShadowTree(ShadowTree&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }

ShadowTree::~ShadowTree() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);  // only our own links and directories: remove_all never follows links
}

}  // namespace ptdoctor::pci
