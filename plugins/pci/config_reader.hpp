#pragma once
// The config space of one function, read as the facts ask for it.
//
// On a live host every config access is a bus transaction, in a VM a trap to the hypervisor: ~34 us each on the
// 2-core VM of docs/performance.md, the same for a byte as for a dword, and sysfs turns one read() into one access
// per aligned dword it covers (linux:drivers/pci/pci-sysfs.c pci_read_config), so the 64-byte header alone was 16
// of them. Once it is known how much of config space is readable, each aligned dword is therefore read at most
// once, when something first asks for a byte of it; what was read is then handed on as ConfigBytes.
#include <array>
#include <bitset>
#include <cstdint>
#include <optional>
#include <vector>

#include "config_space.hpp"
#include "libpci_session.hpp"

namespace ptdoctor::pci {

class ConfigReader {
 public:
  // length: the size of the function's config file (sysfs: 256 or 4096; a dump: the most it may hold).
  ConfigReader(LibpciSession& session, pci_dev* dev, std::size_t length);
  ConfigReader(const ConfigReader&) = delete;
  ConfigReader& operator=(const ConfigReader&) = delete;

  // How many bytes of config space are readable (the facts' `config_size`): all of `length` when its last byte
  // reads, else the 64-byte blocks that read from the start.
  std::size_t size() const { return readable_; }
  // A byte as libpci reads it (nothing where that read fails); past size() only when size() fell short of
  // `length`, and then not kept for bytes().
  std::optional<std::uint8_t> u8(std::size_t offset);
  std::optional<std::uint16_t> u16(std::size_t offset) { return le16(*this, offset); }
  std::optional<std::uint32_t> u32(std::size_t offset) { return le32(*this, offset); }
  // Reads every dword of the range now, so that bytes() holds it.
  void want(const ConfigRange& range);
  // What has been read of [0, size()): all of it when it was read in one piece, else the dwords asked for.
  ConfigBytes bytes() const;

 private:
  static constexpr std::size_t kMaxSize = 4096;
  bool load(std::size_t dword);

  LibpciSession& session_;
  pci_dev* dev_;
  std::size_t readable_ = 0;
  bool whole_ = false;  // [0, readable_) was read in one piece (the fallback) rather than dword by dword
  std::array<unsigned char, kMaxSize> data_;  // only the bytes read are set (clearing 4 KiB a function costs)
  std::bitset<kMaxSize / 4> tried_, loaded_;
  std::vector<std::uint16_t> read_;  // the dwords loaded, in the order they were
};

}  // namespace ptdoctor::pci
