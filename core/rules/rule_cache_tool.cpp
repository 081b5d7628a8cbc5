// Build-time tool: writes the compiled rule cache (rule_cache.hpp) of a rules directory.
//   ptdoctor-rule-cache DIR OUT
// Exits 1, naming the file and problem, when a rules file does not load: the build stops instead of shipping
// rules that would only fail at run time.
#include <cstdio>
#include <string>

#include "rules/rule_cache.hpp"
#include "util/atomic_file.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s RULES_DIR OUTPUT\n", argv[0]);
    return 64;
  }
  auto cache = ptdoctor::rules::compile_rule_cache(argv[1]);
  if (!cache) {
    std::fprintf(stderr, "%s: %s\n", argv[0], cache.error().message.c_str());
    return 1;
  }
  auto written = ptdoctor::write_file_atomically(argv[2], *cache);
  if (!written) {
    std::fprintf(stderr, "%s: %s\n", argv[0], written.error().message.c_str());
    return 1;
  }
  return 0;
}
