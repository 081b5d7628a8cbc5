#pragma once
// Kernel .config text: "CONFIG_X=y|m|<value>" and "# CONFIG_X is not set" (-> "n"). Options the file does not
// mention are unset and absent from the map.
#include <string>
#include <string_view>
#include <vector>

#include "ptdoctor/json.hpp"

namespace ptdoctor::hostplug {

struct KconfigProblem {
  std::size_t line = 0;  // 1-based
  std::string text;      // the offending line, shortened
};

struct Kconfig {
  // "CONFIG_XEN_DOM0" -> "y"; string values without their quotes; a later line for the same option wins. Held as
  // the JSON object kernel.config is, so the fact takes it as it is: building a std::map of strings first and
  // copying it into the fact cost 4.8 M of the 10.8 M instructions the ~10,000-option config took (callgrind,
  // docs/performance.md, seventh round). Collected in file order and sorted once (json_object_map.hpp).
  Json::object_t options;
  std::vector<KconfigProblem> problems;  // lines that are neither an option, a comment nor blank
};

Kconfig parse_kconfig(std::string_view text);

}  // namespace ptdoctor::hostplug
