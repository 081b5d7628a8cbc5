#pragma once
// The compiled rule cache: the shipped rules/*.yaml, already parsed and validated, stored in a flat binary form
// next to them (rules.cache). Parsing YAML with yaml-cpp was two thirds of a live `ptdoctor check` (callgrind, 251 M
// of 252 M instructions in RuleSet::load; docs/performance.md), so the build parses each shipped file once and
// writes the result here; the form is read straight into the rules, without a JSON tree in between (a CBOR
// cache decoded by nlohmann cost 31 M instructions of a 119 M check). The YAML stays the source: an entry is used
// only for a file whose bytes have the entry's length and hash, so an edited, added or replaced rules file is
// always read as YAML, and a missing, truncated, corrupt or foreign cache only costs the time it would have saved.
//
// Layout (integers little-endian; "varint" LEB128, strings a varint length and the bytes; util/byte_codec.hpp):
//   header   "ptdrules" | u32 format | u64 payload length | u64 checksum of the payload
//   payload  string ptdoctor version | varint file count
//            per file: varint length of the YAML | u64 hash of the YAML | varint length of its entry
//            the entries, in that order: u8 data_file | varint rule count | the rules (rule_cache.cpp)
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptdoctor/result.hpp"
#include "rules/rule_loader.hpp"
#include "util/byte_codec.hpp"

namespace ptdoctor::rules {

inline constexpr const char* kRuleCacheName = "rules.cache";
inline constexpr std::size_t kRuleCacheHeaderSize = kSealedHeaderSize;

class RuleCache {
 public:
  // Reads DIR/rules.cache; an empty cache when it is missing, not a regular file, too large, or not whole.
  static RuleCache read(const std::string& dir);
  // The cache in `bytes`: empty when they are not a whole cache of this format written by this ptdoctor version
  // (the length or checksum in the header does not match, another format or version, an index that does not
  // add up). An entry's rules are decoded only when find() asks for them.
  static RuleCache parse(std::string bytes);

  // The file as loaded from its cached entry when `text` (the file's bytes) has one; `path` becomes the
  // rules' file name, as if the YAML at `path` had been parsed. nullopt: parse the YAML (no entry, or one that
  // does not decode).
  std::optional<LoadedFile> find(const std::string& text, const std::string& path) const;

  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::uint64_t length;  // of the YAML it was built from
    std::uint64_t hash;    // of that YAML
    std::size_t offset;    // of the entry, in bytes_
    std::size_t size;
  };
  std::string bytes_;
  std::vector<Entry> entries_;
};

// One rules file as the cache stores it: its bytes, which key the entry, and what they load as.
struct CachedFile {
  std::string_view path;  // for messages
  std::string_view text;
  const LoadedFile* loaded;
};

// The cache's bytes for `files`. Fails when a rule does not read back as written (a value the form cannot hold).
Result<std::string> write_rule_cache(const std::vector<CachedFile>& files);

// The cache's bytes for the rules files of `dir` (its *.yaml and *.yml, as RuleSet::load lists them). Fails,
// naming the file and problem, when a file does not load: a cache is only written for rules that validate.
Result<std::string> compile_rule_cache(const std::string& dir);

// `payload` with the header RuleCache::parse checks (write_rule_cache's last step; tests and the fuzz target reach
// the decoder through it).
std::string seal_rule_cache(std::string_view payload);

// A rule in the cache's form (the round-trip test compares rules by it).
std::string encode_rule(const Rule& rule);
// One file's entry as find() decodes it: nullopt unless `entry` is exactly one entry (the fuzz target).
std::optional<LoadedFile> decode_rule_entry(std::string_view entry, const std::string& path);

}  // namespace ptdoctor::rules
