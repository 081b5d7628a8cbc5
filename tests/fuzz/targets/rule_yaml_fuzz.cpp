// libFuzzer target: a rules file (--rules, rules/*.yaml) through load_rule_text, as found in a directory and as
// named alone (the first byte picks). A file with problems yields no rules; problems stay capped; nothing but the
// documented problems list may come out (an exception escaping here escapes `ptdoctor check --rules` too).
#include <string>

#include "fuzz_check.hpp"
#include "rules/rule_loader.hpp"

using ptdoctor::fuzz::check;
namespace rules = ptdoctor::rules;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text(ptdoctor::fuzz::as_text(data + 1, size - 1));
  const rules::LoadedFile loaded = rules::load_rule_text(text, "fuzz.yaml", (data[0] & 1) != 0);
  if (!loaded.problems.empty()) check(loaded.rules.empty(), "a file with problems yields no rules");
  check(loaded.problems.size() <= rules::kMaxProblemsPerFile + 1, "problems are capped");
  for (const std::string& problem : loaded.problems) check(problem.rfind("fuzz.yaml", 0) == 0, "problems name the file");
  return 0;
}
