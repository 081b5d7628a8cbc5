#include "config_reader.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace ptdoctor::pci {

ConfigReader::ConfigReader(LibpciSession& session, pci_dev* dev, std::size_t length)
    : session_(session), dev_(dev) {
  constexpr std::size_t kHeader = 64;  // the type 0/1 header; capabilities follow
  length = std::min(length, kMaxSize);
  // sysfs serves config space as a prefix (all of it to root, the first 64 bytes to others, 128 of a CardBus
  // bridge: linux:drivers/pci/pci-sysfs.c pci_read_config), a file under --root is readable to its end or not at
  // all, and a dump to the last byte it lists (pciutils lib/dump.c dump_read): so when the last byte reads, all of
  // [0, length) would, and each dword can be read when it is wanted. One byte costs one access.
  unsigned char last = 0;
  if (length > kHeader && session_.whole_config_read()) {
    // Through sysfs, once one function's last byte has read, every function's does: the kernel gives a reader with
    // CAP_SYS_ADMIN all of config space and others 64 bytes (128 of a CardBus bridge), by the credentials the file
    // was opened with (pci-sysfs.c pci_read_config), and a file under --root reads to its end or not at all. So
    // after the first function the status register, which the capability walk reads first anyway, stands in for
    // the last byte: one config access less per function (a VM exit each under a hypervisor).
    constexpr std::size_t kStatusDword = 0x04 / 4;
    readable_ = length;
    if (load(kStatusDword)) return;
    readable_ = 0;  // this file does not read after all: the fallback below, as if never tried
    tried_.reset();
    loaded_.reset();
    read_.clear();
  } else if (length > kHeader && session_.read(dev_, static_cast<int>(length - 1), &last, 1)) {
    session_.note_whole_config_read();
    readable_ = length;
    return;
  }
  // Otherwise 64-byte blocks find how much is readable (the first 64 or 128 bytes to an unprivileged reader): a
  // read of the whole length would fail as a whole, since libpci's methods refuse a short read.
  whole_ = true;
  for (std::size_t pos = 0; pos < length; pos += kHeader) {
    const std::size_t chunk = std::min(kHeader, length - pos);
    if (!session_.read(dev_, static_cast<int>(pos), data_.data() + pos, static_cast<int>(chunk))) break;
    readable_ = pos + chunk;
  }
}

bool ConfigReader::load(std::size_t dword) {
  if (tried_[dword]) return loaded_[dword];
  tried_[dword] = true;
  const std::size_t start = dword * 4, length = std::min<std::size_t>(4, readable_ - start);
  if (!session_.read(dev_, static_cast<int>(start), data_.data() + start, static_cast<int>(length))) return false;
  loaded_[dword] = true;
  read_.push_back(static_cast<std::uint16_t>(dword));
  return true;
}

std::optional<std::uint8_t> ConfigReader::u8(std::size_t offset) {
  if (whole_) {
    if (offset < readable_) return data_[offset];
    // Past the 64-byte blocks found readable (a dump cut inside a block, or an unprivileged read, where sysfs
    // answers without touching the device): what libpci itself would read there, so that the capability walk
    // finds what libpci's does.
    unsigned char byte = 0;
    if (offset >= kMaxSize || !session_.read(dev_, static_cast<int>(offset), &byte, 1)) return std::nullopt;
    return byte;
  }
  if (offset >= readable_ || !load(offset / 4)) return std::nullopt;
  return data_[offset];
}

void ConfigReader::want(const ConfigRange& range) {
  if (whole_) return;
  const std::size_t end = std::min(range.offset + range.length, readable_);
  for (std::size_t offset = range.offset & ~std::size_t{3}; offset < end; offset += 4) load(offset / 4);
}

ConfigBytes ConfigReader::bytes() const {
  const char* bytes = reinterpret_cast<const char*>(data_.data());
  if (whole_) return ConfigBytes(std::string(bytes, readable_));
  // The dwords read, runs of neighbours joined into one range.
  std::vector<std::uint16_t> dwords = read_;
  std::sort(dwords.begin(), dwords.end());
  std::string packed;
  std::vector<ConfigRange> ranges;
  for (const std::size_t dword : dwords) {
    const std::size_t start = dword * 4, length = std::min<std::size_t>(4, readable_ - start);
    packed.append(bytes + start, length);
    if (!ranges.empty() && ranges.back().offset + ranges.back().length == start) {
      ranges.back().length += length;
    } else {
      ranges.push_back({start, length});
    }
  }
  return ConfigBytes(readable_, std::move(packed), 0, std::move(ranges));
}

}  // namespace ptdoctor::pci
