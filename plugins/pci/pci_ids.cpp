#include "pci_ids.hpp"

#include <fcntl.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <bitset>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <unordered_set>

#include "scoped_fd.hpp"

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

// The devices whose names are kept (vendor << 16 | device each, given in any order, repeats allowed), and their
// vendors.
class Wanted {
 public:
  explicit Wanted(std::vector<std::uint32_t> devices) : devices_(std::move(devices)) {
    std::sort(devices_.begin(), devices_.end());
    devices_.erase(std::unique(devices_.begin(), devices_.end()), devices_.end());
    for (std::uint32_t key : devices_) vendors_[key >> 16] = true;
  }
  bool vendor(std::uint32_t vendor) const { return vendors_[vendor]; }
  bool device(std::uint32_t key) const {
    return vendors_[key >> 16] && std::binary_search(devices_.begin(), devices_.end(), key);
  }

 private:
  std::vector<std::uint32_t> devices_;
  std::bitset<65536> vendors_;
};

// id_parse_list without the hash: the same state machine and the same rejections, keeping the vendor and device
// names asked for (all of them without `wanted`). accept() is false exactly where libpci returns "Parse error",
// "Vendor does not exist" or "Duplicate entry".
class Grammar {
 public:
  Grammar(std::vector<Entry>& vendors, std::vector<Entry>& devices, std::string& names, const Wanted* wanted)
      : vendors_(vendors), devices_(devices), names_(names), wanted_(wanted) {}

  // `text` is the line up to its first CR or LF. (Inlined into the line loop: a call per line cost a twentieth of
  // the scan.)
  [[gnu::always_inline]] bool accept(std::string_view text) {
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
    return insert(text.substr(p));
  }

  // Ends the last vendor block (its device ids no longer need checking for duplicates).
  void end_vendor_block() {
    for (std::uint16_t device : block_devices_) device_seen_[device] = false;
    block_devices_.clear();
  }

 private:
  // pci_id_insert's "already there" test. A device's key can only repeat inside its vendor's one block (a
  // second block of the same vendor is itself a duplicate), a subsystem's inside its device's; the rarer
  // categories are few and kept whole.
  bool insert(std::string_view name) {
    const auto u1 = static_cast<std::uint32_t>(id1_), u2 = static_cast<std::uint32_t>(id2_);
    switch (cat_) {
      case Cat::kVendor:
        if (vendor_seen_[u1]) return false;
        vendor_seen_[u1] = true;
        if (!wanted_ || wanted_->vendor(u1)) keep(vendors_, u1, name);
        return true;
      case Cat::kDevice:
        if (device_seen_[u2]) return false;
        device_seen_[u2] = true;
        block_devices_.push_back(static_cast<std::uint16_t>(u2));
        if (!wanted_ || wanted_->device(u1 << 16 | u2)) keep(devices_, u1 << 16 | u2, name);
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

  // A copy of the name, since the line's text goes when the next block of the file is read.
  void keep(std::vector<Entry>& entries, std::uint32_t key, std::string_view name) {
    entries.push_back({key, static_cast<std::uint32_t>(names_.size()), static_cast<std::uint32_t>(name.size())});
    names_.append(name);
  }

  std::vector<Entry>& vendors_;
  std::vector<Entry>& devices_;
  std::string& names_;
  const Wanted* wanted_;
  Cat cat_ = Cat::kNone;
  int id1_ = 0, id2_ = 0, id3_ = 0, id4_ = 0;
  std::bitset<65536> vendor_seen_;
  std::bitset<65536> device_seen_;           // of the current vendor block
  std::vector<std::uint16_t> block_devices_;  // its devices, to clear device_seen_ with
  static std::size_t subsystem_hint(std::uint32_t key) { return (key ^ key >> 16 ^ key >> 5) & 0xffff; }
  std::vector<std::uint32_t> subsystems_;  // of the current device
  std::bitset<65536> subsystem_hint_;      // set for every subsystem_hint() of subsystems_
  std::unordered_set<std::uint64_t> others_;
};

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

// Checks the lines of data[0, size) (a last one without its '\n' included): false at the first one libpci would
// reject or this reader does not vouch for.
bool accept_lines(const char* data, std::size_t size, Grammar& grammar) {
  const bool has_cr = std::memchr(data, '\r', size) != nullptr;
  Lines lines(data, size);
  for (std::size_t begin, end; lines.next(begin, end);) {
    if (end - begin > kMaxLine) return false;
    std::size_t cut = end;  // libpci ends the line at the first CR or LF
    if (has_cr) {
      const auto* cr = static_cast<const char*>(std::memchr(data + begin, '\r', end - begin));
      if (cr) cut = static_cast<std::size_t>(cr - data);
    }
    if (!grammar.accept(std::string_view(data + begin, cut - begin))) return false;
  }
  return true;
}

// zlib's gzgets reads a plain file as it is and inflates one starting with the gzip magic (1f 8b): that one, and
// NUL bytes (which end libpci's line early, "Line too long"), are left to libpci.
bool left_to_libpci(const char* data, std::size_t size, bool starts_file) {
  return (starts_file && size > 0 && static_cast<unsigned char>(data[0]) == 0x1f) ||
         std::memchr(data, '\0', size) != nullptr;
}

// pciutils lib/names-parse.c pci_open: when gzopen of "X.gz" fails, libpci uses "X" from then on.
int open_names(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0 || errno != ENOENT || path.size() < 3 || path.compare(path.size() - 3, 3, ".gz") != 0) return fd;
  return ::open(path.substr(0, path.size() - 3).c_str(), O_RDONLY | O_CLOEXEC);
}

}  // namespace

// The file is read a block at a time into one buffer, the lines that end in it checked, and an unfinished last
// line carried to the front: only the names asked for are kept, so memory stays at the buffer and those names
// (reading the whole 1.4 MB, or mapping it, and keeping every name cost a page fault per 4 KiB: a tenth of a live
// `check` on the VM of docs/performance.md, and ~1 MiB of a big host's `facts` peak).
PciIds PciIds::open(const std::string& path, const std::vector<std::uint32_t>* wanted, std::size_t block) {
  const ScopedFd file(open_names(path));
  if (file.get() < 0) return PciIds(errno == ENOENT ? State::kAbsent : State::kUnsure);
  PciIds ids(State::kUnsure);
  std::optional<Wanted> only;
  if (wanted) only.emplace(*wanted);
  Grammar grammar(ids.vendors_, ids.devices_, ids.names_, only ? &*only : nullptr);
  block = std::max<std::size_t>(block, 1);
  const auto buffer = std::make_unique_for_overwrite<char[]>(kMaxLine + block);
  std::size_t kept = 0, total = 0;  // kept: the unfinished line at the buffer's front
  while (true) {
    const ssize_t got = ::read(file.get(), buffer.get() + kept, block);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return ids;
    if (got == 0) break;
    const auto fresh = static_cast<std::size_t>(got);
    if (left_to_libpci(buffer.get() + kept, fresh, total == 0) || (total += fresh) > kMaxFile) return ids;
    const std::size_t filled = kept + fresh;
    const auto* last = static_cast<const char*>(::memrchr(buffer.get(), '\n', filled));
    const std::size_t whole = last ? static_cast<std::size_t>(last - buffer.get()) + 1 : 0;
    if (!accept_lines(buffer.get(), whole, grammar)) return ids;
    kept = filled - whole;
    if (kept > kMaxLine) return ids;  // a line longer than this reader vouches for, wherever it ends
    std::memmove(buffer.get(), buffer.get() + whole, kept);
  }
  if (!accept_lines(buffer.get(), kept, grammar)) return ids;  // a last line without '\n'
  ids.finish();
  return ids;
}

PciIds PciIds::parse(std::string_view text) {
  PciIds ids(State::kUnsure);
  if (text.size() > kMaxFile || left_to_libpci(text.data(), text.size(), true)) return ids;
  Grammar grammar(ids.vendors_, ids.devices_, ids.names_, nullptr);
  if (!accept_lines(text.data(), text.size(), grammar)) return ids;
  ids.finish();
  return ids;
}

// pci.ids is sorted; a file that is not is sorted here so that lookups can search.
void PciIds::finish() {
  for (auto* entries : {&vendors_, &devices_}) {
    if (!std::is_sorted(entries->begin(), entries->end(), by_key)) std::sort(entries->begin(), entries->end(), by_key);
  }
  state_ = State::kIndexed;
}

std::string PciIds::find(const std::vector<Entry>& entries, std::uint32_t key) const {
  if (state_ != State::kIndexed) return {};
  auto found = std::lower_bound(entries.begin(), entries.end(), Entry{key, 0, 0}, by_key);
  if (found == entries.end() || found->key != key) return {};
  return names_.substr(found->offset, found->length);
}

std::string PciIds::vendor(unsigned vendor) const { return find(vendors_, vendor & 0xffff); }

std::string PciIds::device(unsigned vendor, unsigned device) const {
  return find(devices_, (vendor & 0xffff) << 16 | (device & 0xffff));
}

}  // namespace ptdoctor::pci
