#pragma once
// `xl info` output: "key   : value" lines (tools/xl/xl_info.c). Values may hold ':' themselves.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor::hostplug {

struct XlInfoProblem {
  std::size_t line = 0;
  std::string text;
};

struct XlInfo {
  std::map<std::string, std::string> fields;  // "xen_major" -> "4"; repeated keys: last one wins
  std::vector<XlInfoProblem> problems;        // lines that are not "key : value"
};

XlInfo parse_xl_info(std::string_view text);

}  // namespace ptdoctor::hostplug
