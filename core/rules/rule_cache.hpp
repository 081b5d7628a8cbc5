#pragma once
// The compiled rule cache: the shipped rules/*.yaml, already parsed and validated, stored as CBOR next to them
// (rules.cache). Parsing YAML with yaml-cpp was two thirds of a live `ptdoctor check` (callgrind, 251 M of 252 M
// instructions in RuleSet::load; docs/performance.md), so the build parses each shipped file once and writes the
// result here. The YAML stays the source: an entry is used only for a file whose bytes have the entry's
// length and hash, so an edited, added or replaced rules file is always read as YAML, and a missing, corrupt or foreign
// cache only costs the time it would have saved.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ptdoctor/json.hpp"
#include "rules/rule_loader.hpp"

namespace ptdoctor::rules {

inline constexpr const char* kRuleCacheName = "rules.cache";

class RuleCache {
 public:
  // Reads DIR/rules.cache; an empty cache when it is missing, not a regular file, too large, corrupt, or written
  // by another ptdoctor version or cache format.
  static RuleCache read(const std::string& dir);

  // The file as loaded from its cached entry when `text` (the file's bytes) has one; `path` becomes the
  // rules' file name, as if the YAML at `path` had been parsed. nullopt: parse the YAML.
  std::optional<LoadedFile> find(const std::string& text, const std::string& path) const;

  std::size_t size() const { return entries_.size(); }

 private:
  std::map<std::string, Json> entries_;  // "length:hash" of a file's bytes -> {data_file, rules}
};

// The cache's bytes for the rules files of `dir` (its *.yaml and *.yml, as RuleSet::load lists them). Fails,
// naming the file and problem, when a file does not load: a cache is only written for rules that validate.
Result<std::string> compile_rule_cache(const std::string& dir);

// A rule as a cache entry and back (exposed for the round-trip test).
Json rule_to_cache(const Rule& rule);
std::optional<Rule> rule_from_cache(const Json& entry, const std::string& path);

}  // namespace ptdoctor::rules
