// libFuzzer target: the compiled rule cache (rules/rules.cache), which RuleSet::load reads before any rules file.
// Its header's checksum turns nearly every random input away at once, so the target reaches past it as a hostile
// writer would, with a checksum that matches (the first byte picks):
//   0: the rest is the payload after the version string: sealed with this build's version, then the index is read;
//   1: the rest is one file's entry, decoded into rules as find() decodes it;
//   2: the rest is a whole cache file, header and all.
// Nothing may crash or throw; a decoded entry's rules are what the rules code can hold (each encodes again).
#include <string>

#include "fuzz_check.hpp"
#include "ptdoctor/config.hpp"
#include "rules/cache_bytes.hpp"
#include "rules/rule_cache.hpp"

using ptdoctor::fuzz::check;
namespace rules = ptdoctor::rules;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest = ptdoctor::fuzz::as_text(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      rules::ByteWriter payload;
      payload.text(ptdoctor::config::kVersion);
      payload.bytes().append(rest);
      const rules::RuleCache cache = rules::RuleCache::parse(rules::seal_rule_cache(payload.bytes()));
      check(cache.size() <= rest.size(), "no more entries than bytes");
      check(!cache.find("", "fuzz.yaml") || cache.size() > 0, "an empty cache finds nothing");
      break;
    }
    case 1: {
      const std::optional<rules::LoadedFile> loaded = rules::decode_rule_entry(rest, "fuzz.yaml");
      if (!loaded) break;
      for (const ptdoctor::Rule& rule : loaded->rules) {
        check(rule.file == "fuzz.yaml", "rules name the file they were read for");
        check(!rules::encode_rule(rule).empty(), "a decoded rule encodes again");
      }
      break;
    }
    default: check(rules::RuleCache::parse(std::string(rest)).size() <= rest.size(), "no more entries than bytes");
  }
  return 0;
}
