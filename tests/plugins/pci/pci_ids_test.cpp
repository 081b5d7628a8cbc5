// The pci.ids reader (plugins/pci/pci_ids.cpp) against libpci itself: for every file here, each name it gives
// must be the one libpci's pci_lookup_name gives for the same file, and it must hand back to libpci (kUnsure)
// every file libpci rejects, so that the pci plugin's facts stay what libpci alone would make them.
#include "pci_ids.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cctype>
#include <csetjmp>
#include <cstdarg>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "temp_tree.hpp"

extern "C" {
#include <pci/pci.h>
}

namespace ptdoctor::testing {
namespace {

using pci::PciIds;

// libpci's answers for one names file: the lookups the plugin makes (PCI_LOOKUP_NO_NUMBERS, no hwdb), or the
// error libpci raised while loading the file.
struct LibpciAnswers {
  std::vector<std::string> names;  // per query; "" for NULL
  std::string error;               // "" when the file loaded (or was missing)
};

std::jmp_buf g_jump;
char g_error[512];

[[noreturn]] void on_error(char* format, ...) {
  va_list args;
  va_start(args, format);
  std::vsnprintf(g_error, sizeof g_error, format, args);
  va_end(args);
  std::longjmp(g_jump, 1);
}

// A query: {vendor, device}, or {vendor, -1} for the vendor's own name.
using Query = std::pair<unsigned, int>;

// Only C data between setjmp and the libpci calls (see plugins/pci/libpci_session.hpp).
bool libpci_lookup(pci_access* access, const std::vector<Query>& queries, std::vector<std::string>& names) {
  char buffer[256];
  if (setjmp(g_jump) != 0) return false;
  for (const Query& query : queries) {
    const char* name =
        query.second < 0
            ? pci_lookup_name(access, buffer, sizeof buffer, PCI_LOOKUP_VENDOR | PCI_LOOKUP_NO_NUMBERS, query.first)
            : pci_lookup_name(access, buffer, sizeof buffer, PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_NUMBERS, query.first,
                              query.second);
    names.emplace_back(name ? name : "");
  }
  return true;
}

LibpciAnswers ask_libpci(const std::string& path, const std::vector<Query>& queries) {
  pci_access* access = pci_alloc();
  access->error = on_error;
  access->id_lookup_mode = PCI_LOOKUP_NO_HWDB;
  pci_set_name_list_path(access, const_cast<char*>(path.c_str()), 0);
  LibpciAnswers answers;
  g_error[0] = '\0';
  if (!libpci_lookup(access, queries, answers.names)) answers.error = g_error;
  pci_set_name_list_path(access, nullptr, 0);  // not ours to free
  pci_cleanup(access);
  return answers;
}

std::vector<std::string> ask_reader(const PciIds& ids, const std::vector<Query>& queries) {
  std::vector<std::string> names;
  for (const Query& query : queries) {
    names.push_back(query.second < 0 ? ids.vendor(query.first)
                                     : ids.device(query.first, static_cast<unsigned>(query.second)));
  }
  return names;
}

class PciIdsTest : public ::testing::Test {
 protected:
  // Writes `text` as a names file and returns the reader's view of it after checking that libpci agrees:
  // the same names when the reader answers, and an error from libpci exactly when the reader is unsure.
  PciIds read_as_libpci_does(std::string_view text, const std::vector<Query>& queries) {
    const std::string path = tree.write("/pci.ids", text);
    PciIds ids = PciIds::open(path);
    LibpciAnswers libpci = ask_libpci(path, queries);
    if (ids.state() == PciIds::State::kUnsure) {
      EXPECT_NE(libpci.error, "") << "the reader gave up on a file libpci reads";
    } else {
      EXPECT_EQ(libpci.error, "");
      EXPECT_EQ(ask_reader(ids, queries), libpci.names);
    }
    return ids;
  }

  TempTree tree;
};

// The shape of the real file: header comments, vendors with devices and subsystems, then the class list.
constexpr std::string_view kSample =
    "#\n"
    "#\tList of PCI ID's\n"
    "#\n"
    "# Syntax:\n"
    "# vendor  vendor_name\n"
    "#\tdevice  device_name\t\t\t\t<-- single tab\n"
    "#\t\tsubvendor subdevice  subsystem_name\t<-- two tabs\n"
    "\n"
    "0003  Class-looking vendor\n"
    "10de  NVIDIA Corporation\n"
    "\t1c82  GP107 [GeForce GTX 1050 Ti]\n"
    "\t\t1043 8674  PH-GTX1050TI-4G\n"
    "\t\t10de 11bf  GP107 [GeForce GTX 1050 Ti]\n"
    "# a comment between devices\n"
    "\t  # an indented comment\n"
    "\t0fb9  GP107GL High Definition Audio Controller\n"
    "1043  ASUSTeK Computer Inc.\n"
    "C0DE  Vendor whose id starts with C\n"
    "\t0001  Its device\n"
    "C 03  Display controller\n"
    "\t00  VGA compatible controller\n"
    "\t\t00  VGA controller\n"
    "\t80  Display controller\n"
    "C 0c  Serial bus controller\n"
    "\t03  USB controller\n";

TEST_F(PciIdsTest, NamesVendorsAndDevicesAsLibpci) {
  PciIds ids = read_as_libpci_does(
      kSample, {{0x10de, -1}, {0x10de, 0x1c82}, {0x10de, 0x0fb9}, {0x1043, -1}, {0xc0de, -1}, {0xc0de, 0x0001}});
  ASSERT_EQ(ids.state(), PciIds::State::kIndexed);
  EXPECT_EQ(ids.vendor(0x10de), "NVIDIA Corporation");
  EXPECT_EQ(ids.device(0x10de, 0x1c82), "GP107 [GeForce GTX 1050 Ti]");
  EXPECT_EQ(ids.device(0x10de, 0x0fb9), "GP107GL High Definition Audio Controller");  // after the comments
  EXPECT_EQ(ids.vendor(0xc0de), "Vendor whose id starts with C");
}

// Subsystem lines are not devices, class lines are not vendors, and a device belongs to its vendor only.
TEST_F(PciIdsTest, SubsystemAndClassLinesAreNoVendorsOrDevices) {
  PciIds ids = read_as_libpci_does(kSample, {{0x1043, 0x8674}, {0x10de, 0x1043}, {0x10de, 0x11bf}, {0x0003, 0x0000},
                                             {0x0003, 0x0080}, {0x000c, 0x0003}, {0x0c03, -1}, {0x1043, 0x1c82},
                                             {0x0003, -1}, {0xffff, -1}, {0xffff, 0xffff}});
  ASSERT_EQ(ids.state(), PciIds::State::kIndexed);
  EXPECT_EQ(ids.device(0x1043, 0x8674), "");  // a subsystem of 10de:1c82, not a device of 1043
  EXPECT_EQ(ids.device(0x10de, 0x11bf), "");  // a subsystem id, not a device line
  EXPECT_EQ(ids.device(0x0003, 0x0080), "");  // "\t80  Display controller" is a subclass of class 03
  EXPECT_EQ(ids.vendor(0x0c03), "");
  EXPECT_EQ(ids.vendor(0x0003), "Class-looking vendor");
  EXPECT_EQ(ids.device(0x1043, 0x1c82), "");  // 1c82 is NVIDIA's
}

TEST_F(PciIdsTest, CrLfLinesGiveTheSameNames) {
  std::string crlf;
  for (char c : kSample) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  PciIds ids = read_as_libpci_does(crlf, {{0x10de, -1}, {0x10de, 0x1c82}, {0x1043, -1}, {0xc0de, 0x0001}});
  ASSERT_EQ(ids.state(), PciIds::State::kIndexed);
  EXPECT_EQ(ids.vendor(0x1043), "ASUSTeK Computer Inc.");
  EXPECT_EQ(ids.device(0x10de, 0x1c82), "GP107 [GeForce GTX 1050 Ti]");
}

// libpci ends a line at its first CR and drops one trailing blank; a name keeps the rest of its blanks.
TEST_F(PciIdsTest, LineEndsAsLibpciEndsThem) {
  PciIds ids = read_as_libpci_does("1234  Two trailing spaces  \n"
                                   "\t0001  Trailing tab\t\n"
                                   "\t0002 \t Blanks before the name\n"
                                   "\t0003  Cut\rafter a CR\n",
                                   {{0x1234, -1}, {0x1234, 1}, {0x1234, 2}, {0x1234, 3}});
  ASSERT_EQ(ids.state(), PciIds::State::kIndexed);
  EXPECT_EQ(ids.vendor(0x1234), "Two trailing spaces ");
  EXPECT_EQ(ids.device(0x1234, 1), "Trailing tab");
  EXPECT_EQ(ids.device(0x1234, 2), "Blanks before the name");
  EXPECT_EQ(ids.device(0x1234, 3), "Cut");
}

TEST_F(PciIdsTest, ATruncatedLastLineIsReadAsItStands) {
  PciIds ids = read_as_libpci_does("10de  NVIDIA Corporation\n\t1c82  GP107 [GeForce GT",
                                   {{0x10de, -1}, {0x10de, 0x1c82}});
  ASSERT_EQ(ids.state(), PciIds::State::kIndexed);
  EXPECT_EQ(ids.device(0x10de, 0x1c82), "GP107 [GeForce GT");
}

// Files libpci refuses with "Parse error", "Duplicate entry" or "Vendor does not exist": the reader leaves them
// to libpci, so the plugin reports libpci's own error as before.
TEST_F(PciIdsTest, FilesLibpciRejectsAreLeftToLibpci) {
  const std::vector<std::string> rejected = {
      "10de  NVIDIA Corporation\n\t1c8",          // the last line cut inside its id
      "10de  NVIDIA Corporation\n10de  Again\n",  // a vendor twice
      "10de  NVIDIA\n\t1c82  A\n\t1c82  B\n",      // a device twice
      "10de  NVIDIA\n\t1c82  A\n\t\t1043 8674  X\n\t\t1043 8674  Y\n",  // a subsystem twice under one device
      "10de  \n",                                 // a vendor without a name
      "10de  NVIDIA\n\t\t1043 8674  X\n",         // a subsystem before any device
      "\t1c82  A device before any vendor\n",
      "10de  NVIDIA\n\t1c82  A\n\t\t\t1234  Too deep\n",
      "S 1234\n\t0001  Generic subsystem of a vendor not listed\n",
      "10de  NVIDIA\nS 10de  a generic subsystem line has no name\n",
      "C 03  Display\n\t00  VGA\nC 03  Display again\n",
      "C 03  Display\n\t\t01  Prog-if before any subclass\n\t00  VGA\n\t\t01  The same key again\n",
      "10dz  Not hex\n",
      " 10de  Leading space\n",
  };
  for (const std::string& text : rejected) {
    SCOPED_TRACE(text);
    EXPECT_EQ(read_as_libpci_does(text, {{0x10de, -1}}).state(), PciIds::State::kUnsure);
  }
}

TEST_F(PciIdsTest, GenericSubsystemsAndReservedBlocksAreSkippedAsLibpciSkipsThem) {
  PciIds ids = read_as_libpci_does("10de  NVIDIA\n"
                                   "S 10de\n"
                                   "\t0001  Generic subsystem\n"
                                   "X Reserved block\n"
                                   "\t\t\t\tanything at all here\n"
                                   "1af4  Red Hat, Inc.\n"
                                   "\t1000  Virtio network device\n",
                                   {{0x10de, -1}, {0x10de, 0x0001}, {0x1af4, 0x1000}, {0x1af4, -1}});
  ASSERT_EQ(ids.state(), PciIds::State::kIndexed);
  EXPECT_EQ(ids.device(0x10de, 0x0001), "");
  EXPECT_EQ(ids.device(0x1af4, 0x1000), "Virtio network device");
}

TEST_F(PciIdsTest, NoFileMeansNoNamesAsInLibpci) {
  const std::string path = tree.at("/absent/pci.ids");
  EXPECT_EQ(PciIds::open(path).state(), PciIds::State::kAbsent);
  LibpciAnswers libpci = ask_libpci(path, {{0x10de, -1}});
  EXPECT_EQ(libpci.error, "");
  EXPECT_EQ(libpci.names, std::vector<std::string>{""});
}

// libpci's default is ".../pci.ids.gz": when that is missing it reads ".../pci.ids" (pciutils names-parse.c).
TEST_F(PciIdsTest, AMissingGzNameFallsBackToThePlainFile) {
  tree.write("/misc/pci.ids", kSample);
  PciIds ids = PciIds::open(tree.at("/misc/pci.ids.gz"));
  ASSERT_EQ(ids.state(), PciIds::State::kIndexed);
  EXPECT_EQ(ids.vendor(0x10de), "NVIDIA Corporation");
}

// A regular file is mapped; anything else (a FIFO here, as a non-regular pci.ids would be) is read to its end. Both
// must give the same names, a text short enough to sit inside a std::string included, and an empty file none.
TEST_F(PciIdsTest, AFileThatIsNotRegularIsReadAsTheSameText) {
  for (const std::string& text : {std::string(kSample), std::string("10de  NV\n")}) {
    const std::string fifo = tree.at("/fifo-" + std::to_string(text.size()));
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    std::thread writer([&] {
      const int fd = ::open(fifo.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd < 0) return;
      for (std::size_t at = 0; at < text.size();) {
        const ssize_t n = ::write(fd, text.data() + at, text.size() - at);
        if (n <= 0) break;
        at += static_cast<std::size_t>(n);
      }
      ::close(fd);
    });
    PciIds from_fifo = PciIds::open(fifo);
    writer.join();
    PciIds from_file = PciIds::open(tree.write("/file-" + std::to_string(text.size()), text));
    ASSERT_EQ(from_fifo.state(), PciIds::State::kIndexed) << text.size();
    ASSERT_EQ(from_file.state(), PciIds::State::kIndexed) << text.size();
    EXPECT_EQ(from_fifo.vendor(0x10de), from_file.vendor(0x10de));
    EXPECT_NE(from_fifo.vendor(0x10de), "");
    EXPECT_EQ(from_fifo.device(0x10de, 0x1c82), from_file.device(0x10de, 0x1c82));
  }
  PciIds empty = PciIds::open(tree.write("/empty", ""));
  EXPECT_EQ(empty.state(), PciIds::State::kIndexed);
  EXPECT_EQ(empty.vendor(0x10de), "");
}

// zlib reads a compressed file transparently for libpci: the reader does not inflate, so libpci answers.
TEST_F(PciIdsTest, ACompressedFileIsLeftToLibpci) {
  const std::string path = tree.at("/pci.ids.gz");
  gzFile out = gzopen(path.c_str(), "wb");
  ASSERT_NE(out, nullptr);
  ASSERT_EQ(gzwrite(out, kSample.data(), static_cast<unsigned>(kSample.size())), static_cast<int>(kSample.size()));
  ASSERT_EQ(gzclose(out), Z_OK);
  EXPECT_EQ(PciIds::open(path).state(), PciIds::State::kUnsure);
  LibpciAnswers libpci = ask_libpci(path, {{0x10de, 0x1c82}});
  EXPECT_EQ(libpci.names, std::vector<std::string>{"GP107 [GeForce GTX 1050 Ti]"});
}

// The reader finds a 64-byte block's line ends at once and the last partial block's with memchr: every line must be
// read whole wherever those blocks end, with and without a final newline, and a bad line found wherever it falls.
TEST_F(PciIdsTest, LinesAreReadWholeWhereverTheFilesBlocksEnd) {
  const std::vector<Query> queries = {{0x10de, -1}, {0x10de, 0x1c82}, {0x10de, 0x0fb9}, {0xc0de, 0x0001}};
  for (std::size_t shift = 0; shift < 64; ++shift) {
    const std::string text = "#" + std::string(shift, '-') + "\n" + std::string(kSample);
    for (const std::string& variant : {text, text.substr(0, text.size() - 1), text + "10dz  Not hex\n"}) {
      SCOPED_TRACE("shifted by " + std::to_string(shift) + ", " + std::to_string(variant.size()) + " bytes");
      const PciIds ids = read_as_libpci_does(variant, queries);
      if (variant.ends_with("Not hex\n")) {
        EXPECT_EQ(ids.state(), PciIds::State::kUnsure);
        continue;
      }
      ASSERT_EQ(ids.state(), PciIds::State::kIndexed);
      EXPECT_EQ(ids.device(0x10de, 0x0fb9), "GP107GL High Definition Audio Controller");
    }
  }
}

// The file is read a block at a time and a line that crosses a block's end carried over: whatever the block size,
// the reader must see the lines (and reject the files) that reading it whole does, a line of 254 bytes (the longest
// it vouches for) read and one of 255 left to libpci wherever it falls.
TEST_F(PciIdsTest, ReadingInBlocksOfAnySizeSeesTheSameLines) {
  const std::vector<Query> queries = {{0x10de, -1}, {0x10de, 0x1c82}, {0x10de, 0x0fb9}, {0xc0de, 0x0001},
                                      {0x1043, -1}, {0xc0de, -1}};
  const std::string longest = "\t0002  " + std::string(254 - 7, 'L') + "\n";  // 254 bytes before its '\n'
  const std::string too_long = "\t0002  " + std::string(255 - 7, 'L') + "\n";
  const std::string sample(kSample);
  const std::string with_longest = sample + "ffff  Last vendor\n" + longest;
  const std::vector<std::string> texts = {
      sample, sample.substr(0, sample.size() - 1), "\r\n" + sample, sample + "10dz  Not hex\n",
      with_longest, with_longest.substr(0, with_longest.size() - 1), sample + "ffff  Last vendor\n" + too_long,
      sample + "10de  NVIDIA again\n", std::string("\x1f\x8b") + sample, sample + std::string(1, '\0'), ""};
  for (const std::string& text : texts) {
    const std::string path = tree.write("/blocks.ids", text);
    const PciIds whole = PciIds::parse(text);
    for (const std::size_t block : std::vector<std::size_t>{1, 2, 3, 7, 63, 64, 253, 254, 255, 256, 4096, 65536}) {
      SCOPED_TRACE(std::to_string(text.size()) + " bytes in blocks of " + std::to_string(block));
      const PciIds read = PciIds::open(path, nullptr, block);
      ASSERT_EQ(read.state(), whole.state());
      EXPECT_EQ(ask_reader(read, queries), ask_reader(whole, queries));
      if (text == with_longest) {
        EXPECT_EQ(read.device(0xffff, 0x0002), std::string(254 - 7, 'L'));
      }
    }
  }
  EXPECT_EQ(PciIds::parse(with_longest).state(), PciIds::State::kIndexed);
  EXPECT_EQ(PciIds::parse(sample + "ffff  Last vendor\n" + too_long).state(), PciIds::State::kUnsure);
}

// Only the names asked for are kept: each of them as when every name is, every other one unknown. The file is
// still checked whole (a duplicate far from the wanted entries still leaves the file to libpci).
TEST_F(PciIdsTest, OnlyTheNamesAskedForAreKept) {
  const std::string path = tree.write("/pci.ids", kSample);
  const std::vector<std::uint32_t> wanted = {0x10de0fb9, 0xc0de0001, 0xc0de0001, 0x12340001};
  const PciIds some = PciIds::open(path, &wanted);
  const PciIds all = PciIds::open(path);
  ASSERT_EQ(some.state(), PciIds::State::kIndexed);
  EXPECT_EQ(some.device(0x10de, 0x0fb9), all.device(0x10de, 0x0fb9));
  EXPECT_EQ(some.device(0x10de, 0x0fb9), "GP107GL High Definition Audio Controller");
  EXPECT_EQ(some.vendor(0x10de), "NVIDIA Corporation");
  EXPECT_EQ(some.device(0xc0de, 0x0001), "Its device");
  EXPECT_EQ(some.vendor(0xc0de), "Vendor whose id starts with C");
  EXPECT_EQ(some.device(0x1234, 0x0001), "");
  EXPECT_EQ(some.device(0x10de, 0x1c82), "") << "not asked for";
  EXPECT_EQ(some.vendor(0x1043), "") << "not asked for";
  EXPECT_EQ(all.vendor(0x1043), "ASUSTeK Computer Inc.");
  const std::string duplicate = tree.write("/dup.ids", std::string(kSample) + "1043  ASUSTeK again\n");
  EXPECT_EQ(PciIds::open(duplicate, &wanted).state(), PciIds::State::kUnsure);
  const std::vector<std::uint32_t> none;
  EXPECT_EQ(PciIds::open(path, &none).state(), PciIds::State::kIndexed);
}

TEST_F(PciIdsTest, NulBytesAndOverlongLinesAreLeftToLibpci) {
  EXPECT_EQ(PciIds::parse(std::string("10de  NV\0IDIA\n", 14)).state(), PciIds::State::kUnsure);
  EXPECT_EQ(PciIds::parse("10de  " + std::string(300, 'N') + "\n").state(), PciIds::State::kUnsure);
  EXPECT_EQ(PciIds::parse("10de  " + std::string(200, 'N') + "\n").state(), PciIds::State::kIndexed);
}

// The installed pci.ids (Debian package pci.ids), every vendor and device line of it, against libpci.
TEST_F(PciIdsTest, TheInstalledFileAgreesWithLibpciOnEveryEntry) {
  const std::string path = "/usr/share/misc/pci.ids";
  std::ifstream in(path);
  if (!in) GTEST_SKIP() << path << " is not installed";
  std::vector<Query> queries;
  bool in_vendor = false;  // the class list ("C xx" blocks) comes last, and its lines are no devices
  unsigned vendor = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.size() > 5 && std::isxdigit(static_cast<unsigned char>(line[0])) && line[4] == ' ') {
      vendor = static_cast<unsigned>(std::stoul(line.substr(0, 4), nullptr, 16));
      in_vendor = true;
      queries.emplace_back(vendor, -1);
    } else if (!line.empty() && line[0] != '\t' && line[0] != '#') {
      in_vendor = false;
    } else if (in_vendor && line.size() > 6 && line[0] == '\t' && line[1] != '\t' && line[5] == ' ') {
      queries.emplace_back(vendor, static_cast<int>(std::stoul(line.substr(1, 4), nullptr, 16)));
    }
  }
  ASSERT_GT(queries.size(), 10000u);
  PciIds ids = PciIds::open(path);
  ASSERT_EQ(ids.state(), PciIds::State::kIndexed);
  LibpciAnswers libpci = ask_libpci(path, queries);
  ASSERT_EQ(libpci.error, "");
  EXPECT_EQ(ask_reader(ids, queries), libpci.names);
  // As the plugin reads it: only the names of a few functions' devices, in small blocks too.
  std::vector<std::uint32_t> wanted;
  std::vector<Query> asked;
  for (std::size_t i = 0; i < queries.size(); i += 97) {
    if (queries[i].second < 0) continue;
    wanted.push_back(queries[i].first << 16 | static_cast<unsigned>(queries[i].second));
    asked.push_back(queries[i]);
    asked.emplace_back(queries[i].first, -1);
  }
  ASSERT_GT(asked.size(), 100u);
  const std::vector<std::string> expected = ask_libpci(path, asked).names;
  for (const std::size_t block : {std::size_t{1000}, std::size_t{64} << 10}) {
    const PciIds some = PciIds::open(path, &wanted, block);
    ASSERT_EQ(some.state(), PciIds::State::kIndexed);
    EXPECT_EQ(ask_reader(some, asked), expected);
  }
}

}  // namespace
}  // namespace ptdoctor::testing
