#pragma once
// `xl pci-assignable-list` output: a PCI address ("0000:08:00.0") as the first word of each line; anything after
// it on the line is not ours to read.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor::hostplug {

struct AssignableProblem {
  std::size_t line = 0;
  std::string word;  // the first word of the line, at most 40 characters
};

struct AssignableList {
  std::vector<std::string> bdfs;            // normalised, in order, without repeats
  std::vector<AssignableProblem> problems;  // lines whose first word is not a PCI address
};

AssignableList parse_assignable_list(std::string_view text);

}  // namespace ptdoctor::hostplug
