// The capability walk and the reader beneath it, held against libpci itself: on random config spaces (chains that
// loop, end in 0xff, point past what is readable, repeat an id; files cut at any length) find_capabilities must
// name the capabilities pci_find_cap names after libpci's own walk, and every byte the reader gives must be the
// byte the file holds, with nothing claimed past what libpci can read.
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "capability_list.hpp"
#include "config_reader.hpp"
#include "libpci_session.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::pci {
namespace {

constexpr unsigned kIds[] = {0x01, 0x05, 0x10, 0x11, 0x13};  // PM, MSI, PCIe, MSI-X, AF

struct Function {
  std::string bytes;  // the config space as far as the dump lists it
};

// A config space with a capability list and, often, an extended one, built to hit libpci's edge cases.
Function random_function(std::mt19937& random) {
  const std::size_t sizes[] = {256, 4096, 4096, 64, 100, 0x102, 258, 255, 40, 0x180};
  std::size_t size = sizes[random() % std::size(sizes)];
  if (random() % 5 == 0) size = 1 + random() % 4096;
  std::string bytes(size, '\0');
  for (char& byte : bytes) byte = static_cast<char>(random());
  auto put = [&](std::size_t offset, unsigned value) {
    if (offset < bytes.size()) bytes[offset] = static_cast<char>(value);
  };
  put(0x06, random() % 4 ? 0x10 : random());  // Status: the capability list bit, mostly
  auto id = [&] { return random() % 3 ? kIds[random() % std::size(kIds)] : (random() % 8 ? random() % 0x20 : 0xff); };
  // A chain of up to 10 capabilities at random places (not always dword aligned: libpci masks the low bits),
  // which may come back on itself or run past the readable bytes.
  std::size_t where = 0x40 + random() % 0xc0;
  put(0x34, static_cast<unsigned>(where | (random() % 4 == 0 ? random() % 4 : 0)));
  const int count = static_cast<int>(random() % 11);
  for (int i = 0; i < count; ++i) {
    const std::size_t at = where & ~std::size_t{3};
    const std::size_t next = i + 1 == count ? (random() % 4 ? 0 : 0x40 + random() % 0xc0) : 0x40 + random() % 0xc0;
    put(at, id());
    put(at + 1, static_cast<unsigned>(next));
    where = next;
  }
  // The extended list from 0x100: headers of 16-bit id, 4-bit version, 12-bit next.
  std::size_t ext = 0x100;
  const int ext_count = static_cast<int>(random() % 6);
  for (int i = 0; i < ext_count && ext + 4 <= bytes.size(); ++i) {
    const unsigned ext_id = random() % 3 ? 0x0d : random() % 0x30;
    std::size_t next = i + 1 == ext_count ? 0 : 0x100 + random() % 0xf00;
    if (random() % 10 == 0) next = random() % 0x100;  // a pointer back into the standard space
    const std::uint32_t header = ext_id | ((random() % 16) << 16) | (static_cast<std::uint32_t>(next) << 20);
    if (random() % 12 == 0) {
      for (int b = 0; b < 4; ++b) put(ext + b, random() % 2 ? 0 : 0xff);  // an end libpci recognises
    } else {
      for (int b = 0; b < 4; ++b) put(ext + b, (header >> (8 * b)) & 0xff);
    }
    ext = next & ~std::size_t{3};
    if (ext == 0) break;
  }
  return {bytes};
}

// `lspci -xxxx` form, which libpci's dump method reads (pciutils lib/dump.c dump_init).
std::string dump_text(const std::vector<Function>& functions) {
  std::string text;
  char line[64];
  for (std::size_t i = 0; i < functions.size(); ++i) {
    std::snprintf(line, sizeof line, "00:%02zx.%zu Device\n", i / 8, i % 8);
    text += line;
    const std::string& bytes = functions[i].bytes;
    for (std::size_t offset = 0; offset < bytes.size(); offset += 16) {
      std::snprintf(line, sizeof line, "%03zx:", offset);
      text += line;
      for (std::size_t b = offset; b < bytes.size() && b < offset + 16; ++b) {
        std::snprintf(line, sizeof line, " %02x", static_cast<unsigned char>(bytes[b]));
        text += line;
      }
      text += '\n';
    }
    text += '\n';
  }
  return text;
}

unsigned libpci_position(pci_dev* dev, unsigned id, unsigned type) {
  pci_cap* cap = pci_find_cap(dev, id, type);
  return cap ? cap->addr : 0;
}

TEST(CapabilityList, FindsWhatLibpciFindsAndReadsWhatTheFileHolds) {
  std::mt19937 random(80635);
  testing::TempTree tree;
  int compared = 0, with_acs = 0, with_pcie = 0;
  for (int round = 0; round < 60; ++round) {
    std::vector<Function> functions;
    for (int i = 0; i < 32; ++i) functions.push_back(random_function(random));
    const std::string file = tree.write("/dump-" + std::to_string(round) + ".txt", dump_text(functions));
    LibpciSession session(LibpciSession::Method::kDump, file);
    ASSERT_TRUE(session.scan()) << file;
    for (pci_dev* dev = session.devices(); dev; dev = dev->next) {
      const std::string& bytes = functions.at(static_cast<std::size_t>(dev->dev * 8 + dev->func)).bytes;
      ConfigReader reader(session, dev, 4096);
      const CapPositions caps = find_capabilities(reader);
      // Asked for 4096 bytes, the reader takes a dump that ends short of them in 64-byte blocks, as before it.
      const std::size_t readable = bytes.size() == 4096 ? 4096 : bytes.size() / 64 * 64;
      EXPECT_EQ(reader.size(), readable);
      // libpci's own walk on the same device, then its answers.
      pci_fill_info(dev, PCI_FILL_CAPS | PCI_FILL_EXT_CAPS);
      EXPECT_EQ(caps.pm, libpci_position(dev, 0x01, PCI_CAP_NORMAL)) << round;
      EXPECT_EQ(caps.msi, libpci_position(dev, 0x05, PCI_CAP_NORMAL)) << round;
      EXPECT_EQ(caps.pcie, libpci_position(dev, 0x10, PCI_CAP_NORMAL)) << round;
      EXPECT_EQ(caps.msix, libpci_position(dev, 0x11, PCI_CAP_NORMAL)) << round;
      EXPECT_EQ(caps.af, libpci_position(dev, 0x13, PCI_CAP_NORMAL)) << round;
      EXPECT_EQ(caps.acs, libpci_position(dev, 0x0d, PCI_CAP_EXTENDED)) << round;
      with_acs += caps.acs != 0;
      with_pcie += caps.pcie != 0;
      // Registers asked for now and read back through ConfigBytes: the file's bytes, nothing past its end.
      std::vector<ConfigRange> wanted;
      for (int i = 0; i < 4; ++i) wanted.push_back({random() % 4100, 1 + random() % 8});
      for (const ConfigRange& range : wanted) reader.want(range);
      const ConfigBytes config = reader.bytes();
      EXPECT_EQ(config.size(), readable);
      for (const ConfigRange& range : wanted) {
        for (std::size_t offset = range.offset; offset < range.offset + range.length; ++offset) {
          const auto in_file = offset < bytes.size() ? std::optional<std::uint8_t>(bytes[offset]) : std::nullopt;
          ASSERT_EQ(reader.u8(offset), in_file) << round << " " << offset;
          ASSERT_EQ(config.u8(offset), offset < readable ? in_file : std::nullopt) << round << " " << offset;
        }
      }
      ++compared;
    }
  }
  EXPECT_EQ(compared, 60 * 32);
  // The random layouts must reach the cases that matter, or the comparison above proves little.
  EXPECT_GT(with_pcie, 300);
  EXPECT_GT(with_acs, 100);
}

// Through sysfs, once one function's last config byte has read, the others' status registers stand in for their
// last bytes (ConfigReader's constructor). On a tree of config files of every size, as the plugin reads them (the
// length asked for is the file's size), each function must read as it does in a session of its own, where its own
// last byte is tried: the same size, the same capabilities, the same bytes.
TEST(ConfigReader, ThroughSysfsEachFunctionReadsAsItDoesAlone) {
  std::mt19937 random(20261203);
  testing::TempTree tree;
  const std::size_t sizes[] = {256, 4096, 0, 40, 64, 65, 100, 255, 256, 4096, 128, 0x102, 256, 4096};
  std::vector<std::string> files;
  for (std::size_t i = 0; i < std::size(sizes); ++i) {
    std::string bytes = random_function(random).bytes;
    while (bytes.size() < sizes[i]) bytes += static_cast<char>(random());
    bytes.resize(sizes[i]);
    char path[64];
    std::snprintf(path, sizeof path, "/sys/bus/pci/devices/0000:00:%02zx.0/config", i);
    tree.write(path, bytes);
    files.push_back(bytes);
  }
  const std::string sysfs = tree.at("/sys/bus/pci");
  LibpciSession together(LibpciSession::Method::kSysfs, sysfs);
  ASSERT_TRUE(together.scan());
  EXPECT_FALSE(together.whole_config_read());
  int compared = 0;
  for (pci_dev* dev = together.devices(); dev; dev = dev->next) {
    const std::string& bytes = files.at(dev->dev);
    LibpciSession alone_session(LibpciSession::Method::kSysfs, sysfs);
    ASSERT_TRUE(alone_session.scan());
    pci_dev* same = alone_session.devices();
    while (same && same->dev != dev->dev) same = same->next;
    ASSERT_NE(same, nullptr);
    ConfigReader reader(together, dev, bytes.size());
    ConfigReader alone(alone_session, same, bytes.size());
    SCOPED_TRACE("a config file of " + std::to_string(bytes.size()) + " bytes");
    EXPECT_EQ(reader.size(), alone.size());
    const CapPositions caps = find_capabilities(reader), caps_alone = find_capabilities(alone);
    EXPECT_EQ(caps.pm, caps_alone.pm);
    EXPECT_EQ(caps.msi, caps_alone.msi);
    EXPECT_EQ(caps.pcie, caps_alone.pcie);
    EXPECT_EQ(caps.msix, caps_alone.msix);
    EXPECT_EQ(caps.acs, caps_alone.acs);
    const ConfigRange wanted{0x3c, 8};
    reader.want(wanted);
    alone.want(wanted);
    const ConfigBytes config = reader.bytes(), config_alone = alone.bytes();
    EXPECT_EQ(config.size(), config_alone.size());
    for (std::size_t offset = 0; offset < 4100; ++offset) {
      ASSERT_EQ(config.u8(offset), config_alone.u8(offset)) << offset;
    }
    ++compared;
  }
  EXPECT_EQ(compared, static_cast<int>(std::size(sizes)));
  EXPECT_TRUE(together.whole_config_read()) << "no function's last byte read: the shortcut was never taken";
}

}  // namespace
}  // namespace ptdoctor::pci
