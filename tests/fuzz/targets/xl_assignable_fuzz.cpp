// libFuzzer target: `xl pci-assignable-list` output through parse_assignable_list: every address kept is
// normalised and listed once.
#include <set>

#include "bdf.hpp"
#include "fuzz_check.hpp"
#include "xl_assignable.hpp"

using ptdoctor::fuzz::check;
namespace host = ptdoctor::hostplug;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = ptdoctor::fuzz::as_text(data, size);
  const host::AssignableList list = host::parse_assignable_list(text);
  const std::set<std::string> unique(list.bdfs.begin(), list.bdfs.end());
  check(unique.size() == list.bdfs.size(), "each address is listed once");
  for (const std::string& bdf : list.bdfs) check(host::normalize_bdf(bdf) == bdf, "addresses are normalised");
  const std::size_t lines = ptdoctor::fuzz::line_count(text);
  for (const auto& problem : list.problems) {
    check(problem.line >= 1 && problem.line <= lines && problem.word.size() <= 40, "problems name a line and a word");
  }
  return 0;
}
