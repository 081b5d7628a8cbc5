#pragma once
// modprobe.d(5) files: "options", "softdep", "install", "blacklist", "alias" lines (with "\" continuations and
// "#" comments). Module names are stored with '_' (modprobe treats '-' and '_' alike).
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor::hostplug {

struct Softdep {
  std::vector<std::string> pre;
  std::vector<std::string> post;
  std::string source;  // "file:line"
};

struct ModprobeConf {
  std::map<std::string, std::vector<std::string>> options;  // module -> "name=value" words in order
  std::map<std::string, std::string> option_sources;        // module -> "file:line" of its last options line
  std::map<std::string, Softdep> softdeps;
  std::map<std::string, std::string> installs;              // module -> command (never run)
  std::vector<std::string> blacklist;
  std::vector<std::string> problems;                        // "file:line: ..."
};

// Adds one file's lines; `file` names it in sources and problems.
void parse_modprobe_conf(std::string_view text, const std::string& file, ModprobeConf& conf);

// /etc/modules and modules-load.d: one module per line, "#" or ";" comments; the first word is the module.
std::vector<std::string> parse_modules_list(std::string_view text);

}  // namespace ptdoctor::hostplug
