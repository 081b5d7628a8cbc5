#pragma once
// Kernel .config text: "CONFIG_X=y|m|<value>" and "# CONFIG_X is not set" (-> "n"). Options the file does not
// mention are unset and absent from the map.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor::hostplug {

struct KconfigProblem {
  std::size_t line = 0;  // 1-based
  std::string text;      // the offending line, shortened
};

struct Kconfig {
  std::map<std::string, std::string> options;  // "CONFIG_XEN_DOM0" -> "y"; string values without their quotes
  std::vector<KconfigProblem> problems;        // lines that are neither an option, a comment nor blank
};

Kconfig parse_kconfig(std::string_view text);

}  // namespace ptdoctor::hostplug
