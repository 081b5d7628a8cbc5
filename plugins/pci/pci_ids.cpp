#include "pci_ids.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <bitset>
#include <cerrno>
#include <cstring>
#include <unordered_set>

#include "capped_read.hpp"

namespace ptdoctor::pci {
namespace {

// Longer lines are left to libpci: its reader splits lines of 1023+ bytes (gzgets into char[1024]), and a name of
// 255+ bytes does not fit the 256-byte buffer pci_lookup_name is given. The 2023 pci.ids's longest line is 195.
constexpr std::size_t kMaxLine = 254;
constexpr std::size_t kMaxFile = std::size_t{64} << 20;  // pci.ids is 1.4 MB; offsets stay 32-bit

// The categories of pciutils lib/names.h (ID_VENDOR ...); kNone is id_parse_list's "cat = -1" before any block.
enum class Cat : std::uint8_t { kNone, kVendor, kDevice, kSubsystem, kGenSubsystem, kClass, kSubclass, kProgif,
                                kUnknown };

// Hex digit values, -1 for anything else (id_hex's test).
constexpr std::array<std::int8_t, 256> kHex = [] {
  std::array<std::int8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[static_cast<std::size_t>(c)] = c >= '0' && c <= '9'   ? static_cast<std::int8_t>(c - '0')
                                         : c >= 'a' && c <= 'f' ? static_cast<std::int8_t>(c - 'a' + 10)
                                         : c >= 'A' && c <= 'F' ? static_cast<std::int8_t>(c - 'A' + 10)
                                                                : std::int8_t{-1};
  }
  return table;
}();

bool is_white(char c) { return c == ' ' || c == '\t'; }

// The line as id_parse_list sees it: characters past the end read as NUL, which is neither hex nor white.
class Line {
 public:
  explicit Line(std::string_view text) : text_(text) {}
  char at(std::size_t pos) const { return pos < text_.size() ? text_[pos] : '\0'; }
  bool white(std::size_t pos) const { return is_white(at(pos)); }
  // id_hex: `count` (2 or 4) hex digits at pos, or -1.
  // Written out digit by digit: -O2 does not unroll the loop, which cost a quarter of the scan.
  template <std::size_t count>
  int hex(std::size_t pos) const {
    static_assert(count == 2 || count == 4);
    if (pos + count > text_.size()) return -1;
    const auto* digits = reinterpret_cast<const unsigned char*>(text_.data() + pos);
    const int d0 = kHex[digits[0]], d1 = kHex[digits[1]];
    if constexpr (count == 2) {
      return (d0 | d1) < 0 ? -1 : d0 << 4 | d1;
    } else {
      const int d2 = kHex[digits[2]], d3 = kHex[digits[3]];
      return (d0 | d1 | d2 | d3) < 0 ? -1 : d0 << 12 | d1 << 8 | d2 << 4 | d3;
    }
  }
  std::size_t size() const { return text_.size(); }

 private:
  std::string_view text_;
};

using Entry = PciIds::Entry;

// id_parse_list without the hash: the same state machine and the same rejections, remembering where vendor and
// device names are. accept() is false exactly where libpci returns "Parse error", "Vendor does not exist" or
// "Duplicate entry".
class Grammar {
 public:
  Grammar(std::vector<Entry>& vendors, std::vector<Entry>& devices) : vendors_(vendors), devices_(devices) {}

  // `text` is the line up to its first CR or LF; `offset` where it starts in the file. (Inlined into the line loop:
  // a call per line cost a twentieth of the scan.)
  [[gnu::always_inline]] bool accept(std::string_view text, std::size_t offset) {
    if (!text.empty() && is_white(text.back())) text.remove_suffix(1);
    std::size_t p = 0;
    while (p < text.size() && text[p] == '\t') ++p;
    // An entry's tabs end at its id; blank lines and comments (after any blanks) are skipped. Only a line whose
    // tabs are followed by a space or '#', or by nothing, needs the blanks counted on.
    if (p == text.size() || text[p] == ' ' || text[p] == '#') {
      std::size_t first = p;
      while (first < text.size() && is_white(text[first])) ++first;
      if (first == text.size() || text[first] == '#') return true;  // blank or comment
    }
    const Line line(text);
    const std::size_t nest = p;
    if (nest == 0) {
      end_vendor_block();
      if (line.at(0) == 'C' && line.at(1) == ' ') {  // class block
        if ((id1_ = line.hex<2>(2)) < 0 || !line.white(4)) return false;
        cat_ = Cat::kClass;
        p = 5;
      } else if (line.at(0) == 'S' && line.at(1) == ' ') {  // generic subsystem block
        if ((id1_ = line.hex<4>(2)) < 0 || line.size() != 6) return false;
        if (!vendor_seen_[static_cast<std::size_t>(id1_)]) return false;  // "Vendor does not exist"
        cat_ = Cat::kGenSubsystem;
        return true;
      } else if (line.at(0) >= 'A' && line.at(0) <= 'Z' && line.at(1) == ' ') {  // block reserved for future use
        cat_ = Cat::kUnknown;
        return true;
      } else {
        if ((id1_ = line.hex<4>(0)) < 0 || !line.white(4)) return false;
        cat_ = Cat::kVendor;
        p = 5;
      }
      id2_ = id3_ = id4_ = 0;
    } else if (cat_ == Cat::kUnknown) {
      return true;
    } else if (nest == 1) {
      switch (cat_) {
        case Cat::kVendor:
        case Cat::kDevice:
        case Cat::kSubsystem:
        case Cat::kGenSubsystem:  // a device of the vendor, or a subsystem of the generic block
          if ((id2_ = line.hex<4>(p)) < 0 || !line.white(p + 4)) return false;
          p += 5;
          if (cat_ != Cat::kGenSubsystem) cat_ = Cat::kDevice;
          id3_ = id4_ = 0;
          break;
        case Cat::kClass:
        case Cat::kSubclass:
        case Cat::kProgif:
          if ((id2_ = line.hex<2>(p)) < 0 || !line.white(p + 2)) return false;
          p += 3;
          cat_ = Cat::kSubclass;
          id3_ = id4_ = 0;
          break;
        default:
          return false;
      }
    } else if (nest == 2) {
      switch (cat_) {
        case Cat::kDevice:
        case Cat::kSubsystem:
          if ((id3_ = line.hex<4>(p)) < 0 || !line.white(p + 4) || (id4_ = line.hex<4>(p + 5)) < 0 ||
              !line.white(p + 9)) {
            return false;
          }
          p += 10;
          cat_ = Cat::kSubsystem;
          break;
        case Cat::kClass:
        case Cat::kSubclass:
        case Cat::kProgif:
          if ((id3_ = line.hex<2>(p)) < 0 || !line.white(p + 2)) return false;
          p += 3;
          cat_ = Cat::kProgif;
          id4_ = 0;
          break;
        default:
          return false;
      }
    } else {
      return false;
    }
    while (line.white(p)) ++p;
    if (p >= text.size()) return false;  // an entry without a name
    return insert({0, static_cast<std::uint32_t>(offset + p), static_cast<std::uint32_t>(text.size() - p)});
  }

  // Ends the last vendor block (its device ids no longer need checking for duplicates).
  void end_vendor_block() {
    for (std::size_t i = block_start_; i < devices_.size(); ++i) device_seen_[devices_[i].key & 0xffff] = false;
    block_start_ = devices_.size();
  }

 private:
  // pci_id_insert's "already there" test. A device's key can only repeat inside its vendor's one block (a
  // second block of the same vendor is itself a duplicate), a subsystem's inside its device's; the rarer
  // categories are few and kept whole.
  bool insert(Entry entry) {
    const auto u1 = static_cast<std::uint32_t>(id1_), u2 = static_cast<std::uint32_t>(id2_);
    switch (cat_) {
      case Cat::kVendor:
        if (vendor_seen_[u1]) return false;
        vendor_seen_[u1] = true;
        entry.key = u1;
        vendors_.push_back(entry);
        return true;
      case Cat::kDevice:
        if (device_seen_[u2]) return false;
        device_seen_[u2] = true;
        entry.key = u1 << 16 | u2;
        devices_.push_back(entry);
        for (std::uint32_t key : subsystems_) subsystem_hint_[subsystem_hint(key)] = false;
        subsystems_.clear();
        return true;
      case Cat::kSubsystem: {
        const std::uint32_t key = static_cast<std::uint32_t>(id3_) << 16 | static_cast<std::uint32_t>(id4_);
        // A device can list hundreds of subsystems: the whole list is searched only when the hint says maybe.
        if (subsystem_hint_[subsystem_hint(key)] &&
            std::find(subsystems_.begin(), subsystems_.end(), key) != subsystems_.end()) {
          return false;
        }
        subsystem_hint_[subsystem_hint(key)] = true;
        subsystems_.push_back(key);
        return true;
      }
      default: {  // generic subsystems, classes, subclasses, programming interfaces: id4 is always 0
        const std::uint64_t key = std::uint64_t{static_cast<std::uint8_t>(cat_)} << 48 | std::uint64_t{u1} << 32 |
                                  std::uint64_t{u2} << 16 | static_cast<std::uint64_t>(id3_);
        return others_.insert(key).second;
      }
    }
  }

  std::vector<Entry>& vendors_;
  std::vector<Entry>& devices_;
  Cat cat_ = Cat::kNone;
  int id1_ = 0, id2_ = 0, id3_ = 0, id4_ = 0;
  std::bitset<65536> vendor_seen_;
  std::bitset<65536> device_seen_;  // of the current vendor block
  std::size_t block_start_ = 0;     // its first entry in devices_
  static std::size_t subsystem_hint(std::uint32_t key) { return (key ^ key >> 16 ^ key >> 5) & 0xffff; }
  std::vector<std::uint32_t> subsystems_;  // of the current device
  std::bitset<65536> subsystem_hint_;      // set for every subsystem_hint() of subsystems_
  std::unordered_set<std::uint64_t> others_;
};

// A pci.ids file's bytes: its pages in the page cache mapped read-only when it is a regular file, else read into
// memory. Reading 1.4 MB into fresh memory cost a page fault per 4 KiB page and a copy of every byte, about a
// tenth of a live `check` on the VM of docs/performance.md; the mapping is filled in one call (MAP_POPULATE). The
// file is replaced, never rewritten in place (dpkg and update-pciids write a new file and rename it), so the mapped
// pages cannot shrink under the scan.
struct FileText {
  struct Unmap {
    std::size_t length;
    void operator()(void* address) const { ::munmap(address, length); }
  };
  int error = 0;
  std::unique_ptr<void, Unmap> mapped{nullptr, Unmap{0}};
  std::string read;  // when not mapped
  // Derived, not stored: a moved FileText's string may hold its bytes inline (a short file).
  const char* data() const { return mapped ? static_cast<const char*>(mapped.get()) : read.data(); }
  std::size_t size() const { return mapped ? mapped.get_deleter().length : read.size(); }
};

FileText read_whole(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  FileText file;
  if (fd < 0) {
    file.error = errno;
    return file;
  }
  struct stat info {};
  const bool stated = ::fstat(fd, &info) == 0;
  if (stated && S_ISREG(info.st_mode) && info.st_size > 0 && static_cast<std::size_t>(info.st_size) <= kMaxFile) {
    const auto length = static_cast<std::size_t>(info.st_size);
    void* address = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (address != MAP_FAILED) {
      ::close(fd);
      file.mapped = {address, FileText::Unmap{length}};
      return file;
    }
  }
  // Not a regular file (or one the kernel would not map): read to its end, one byte past kMaxFile at most
  // (index() refuses a file that long).
  const std::size_t expected = stated && info.st_size > 0 ? static_cast<std::size_t>(info.st_size) : 0;
  CappedRead read = read_capped(fd, kMaxFile, expected);
  ::close(fd);
  file.error = read.error;
  file.read = std::move(read.data);
  return file;
}

bool by_key(const Entry& a, const Entry& b) { return a.key < b.key; }

#if defined(__SSE2__)
// Where the '\n' bytes are among the 64 at `block`, one bit each (SSE2 is part of x86-64).
std::uint64_t newlines_in(const char* block) {
  const __m128i newline = _mm_set1_epi8('\n');
  const auto part = [&](int i) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * i));
    return std::uint64_t{static_cast<std::uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, newline)))} << (16 * i);
  };
  return part(0) | part(1) | part(2) | part(3);
}
#endif

// The lines of data[0, size), one after the other: next() gives where the next one begins and where its '\n' is (or
// `size`, for a last line without one). One memchr per line was a sixth of the scan; finding a 64-byte block's
// newlines at once costs a few instructions.
class Lines {
 public:
  Lines(const char* data, std::size_t size) : data_(data), size_(size) {}

  bool next(std::size_t& begin, std::size_t& end) {
    if (begin_ >= size_) return false;
#if defined(__SSE2__)
    while (mask_ == 0 && block_ + 64 <= size_) {
      mask_ = newlines_in(data_ + block_);
      block_ += 64;
    }
    if (mask_ != 0) {
      end = block_ - 64 + static_cast<std::size_t>(__builtin_ctzll(mask_));
      mask_ &= mask_ - 1;
    } else
#endif
    {
      // Past the last whole block: no '\n' between begin_ and it.
      const auto* newline = static_cast<const char*>(std::memchr(data_ + begin_, '\n', size_ - begin_));
      end = newline ? static_cast<std::size_t>(newline - data_) : size_;
    }
    begin = begin_;
    begin_ = end + 1;
    return true;
  }

 private:
  const char* data_;
  std::size_t size_;
  std::size_t begin_ = 0;  // of the next line
#if defined(__SSE2__)
  std::size_t block_ = 0;  // the next block to look at
  std::uint64_t mask_ = 0;  // the newlines of the block before it not yet given out
#endif
};

}  // namespace

PciIds PciIds::open(const std::string& path) {
  FileText file = read_whole(path);
  // pciutils lib/names-parse.c pci_open: when gzopen of "X.gz" fails, libpci uses "X" from then on.
  if (file.error == ENOENT && path.size() >= 3 && path.compare(path.size() - 3, 3, ".gz") == 0) {
    file = read_whole(path.substr(0, path.size() - 3));
  }
  if (file.error == ENOENT) return PciIds(State::kAbsent);
  if (file.error != 0) return PciIds(State::kUnsure);
  return index(file.data(), file.size());
}

PciIds PciIds::parse(std::string_view text) { return index(text.data(), text.size()); }

PciIds PciIds::index(const char* data, std::size_t size) {
  PciIds ids(State::kUnsure);
  // zlib's gzgets reads a plain file as it is and inflates one starting with the gzip magic (1f 8b): that one,
  // and NUL bytes (which end libpci's line early, "Line too long"), are left to libpci.
  if (size > kMaxFile || (size > 0 && static_cast<unsigned char>(data[0]) == 0x1f) ||
      std::memchr(data, '\0', size) != nullptr) {
    return ids;
  }
  const bool has_cr = std::memchr(data, '\r', size) != nullptr;
  ids.devices_.reserve(size / 48);  // the 2023 file: 22 k device lines in 1.4 MB
  ids.vendors_.reserve(size / 512);
  Grammar grammar(ids.vendors_, ids.devices_);
  Lines lines(data, size);
  for (std::size_t begin, end; lines.next(begin, end);) {
    if (end - begin > kMaxLine) return PciIds(State::kUnsure);
    std::size_t cut = end;  // libpci ends the line at the first CR or LF
    if (has_cr) {
      const auto* cr = static_cast<const char*>(std::memchr(data + begin, '\r', end - begin));
      if (cr) cut = static_cast<std::size_t>(cr - data);
    }
    if (!grammar.accept(std::string_view(data + begin, cut - begin), begin)) return PciIds(State::kUnsure);
  }
  // pci.ids is sorted; a file that is not is sorted here so that lookups can search.
  if (!std::is_sorted(ids.vendors_.begin(), ids.vendors_.end(), by_key)) {
    std::sort(ids.vendors_.begin(), ids.vendors_.end(), by_key);
  }
  if (!std::is_sorted(ids.devices_.begin(), ids.devices_.end(), by_key)) {
    std::sort(ids.devices_.begin(), ids.devices_.end(), by_key);
  }
  ids.state_ = State::kIndexed;
  ids.keep_names_only(data);
  return ids;
}

// Only the vendor and device names are ever asked for: 0.6 of the file's 1.4 MB. The rest (subsystem lines, the
// class list, comments) went into the check above and is let go here, with the room reserved for entries the file
// did not have: held beside a big host's records it was part of `facts`' peak (heaptrack, 4k sriov host).
void PciIds::keep_names_only(const char* text) {
  std::size_t total = 0;
  for (const auto* entries : {&vendors_, &devices_}) {
    for (const Entry& entry : *entries) total += entry.length;
  }
  auto names = std::make_unique_for_overwrite<char[]>(total + 1);
  std::size_t at = 0;
  for (auto* entries : {&vendors_, &devices_}) {
    for (Entry& entry : *entries) {
      std::memcpy(names.get() + at, text + entry.offset, entry.length);
      entry.offset = static_cast<std::uint32_t>(at);
      at += entry.length;
    }
    entries->shrink_to_fit();
  }
  text_ = std::move(names);
}

std::string PciIds::find(const std::vector<Entry>& entries, std::uint32_t key) const {
  if (state_ != State::kIndexed) return {};
  auto found = std::lower_bound(entries.begin(), entries.end(), Entry{key, 0, 0}, by_key);
  if (found == entries.end() || found->key != key) return {};
  return std::string(text_.get() + found->offset, found->length);
}

std::string PciIds::vendor(unsigned vendor) const { return find(vendors_, vendor & 0xffff); }

std::string PciIds::device(unsigned vendor, unsigned device) const {
  return find(devices_, (vendor & 0xffff) << 16 | (device & 0xffff));
}

}  // namespace ptdoctor::pci
