#pragma once
// GPU quirks are data (rules/gpu-quirks.yaml, `kind: gpu-quirks`): this loads them and matches PCI devices.
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "ptdoctor/json.hpp"
#include "ptdoctor/result.hpp"

namespace ptdoctor::gpu {

struct Quirk {
  std::string id, title, severity, explanation, workaround;
  std::vector<std::string> refs;
  std::optional<unsigned> vendor;
  std::vector<std::pair<unsigned, unsigned>> device_ranges;  // inclusive
  std::vector<unsigned> classes;
  std::optional<std::string> name_pattern;  // as written; the quirk cache stores it and compiles it again
  std::optional<std::regex> name_matches;
  std::optional<bool> bus0;
};

// Compiles a quirk's name_matches pattern into `out` (ECMAScript, case-sensitive), through the same guard as the
// rules' patterns; the problem as text when it is refused. The YAML loader and the quirk cache both compile here.
std::optional<std::string> compile_name_pattern(const std::string& pattern, std::optional<std::regex>& out);

class QuirkDb {
 public:
  QuirkDb() = default;
  QuirkDb(std::vector<Quirk> quirks, std::string origin) : quirks_(std::move(quirks)), origin_(std::move(origin)) {}

  // Loads the first gpu-quirks.yaml found in the directories; errors name file and line. The list comes from the
  // compiled gpu-quirks.cache beside it when that was built from these very bytes (quirk_cache.hpp).
  static Result<QuirkDb> load(const std::vector<std::string>& directories);
  static Result<QuirkDb> parse(const std::string& text, const std::string& origin);

  // [{id, severity, title, explanation, workaround, refs}] for a pci.devices[] entry.
  Json match(const Json& device) const;
  const std::string& origin() const { return origin_; }
  std::size_t size() const { return quirks_.size(); }
  const std::vector<Quirk>& quirks() const { return quirks_; }
  bool from_cache() const { return from_cache_; }

 private:
  std::vector<Quirk> quirks_;
  std::string origin_;
  bool from_cache_ = false;
};

}  // namespace ptdoctor::gpu
