#pragma once
// Kernel-style command lines (/proc/cmdline, Xen's xen_commandline): words "name", "name=value", with double
// quotes around a value or a whole word ("name=a b" kept together), repeated names kept in order.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor::hostplug {

struct Cmdline {
  // name -> values in order; a bare flag has the value "". Repeats keep every value.
  std::map<std::string, std::vector<std::string>> params;
  std::vector<std::string> init_args;  // words after a lone "--": the kernel hands them to init
};

struct CmdlineOptions {
  // Linux compares parameter names with '-' and '_' alike (kernel/params.c parameq); names are stored with '_'.
  bool underscore_names = true;
  // Linux passes everything after "--" to init.
  bool stop_at_dashes = true;
};

Cmdline parse_cmdline(std::string_view text, const CmdlineOptions& options = {});

}  // namespace ptdoctor::hostplug
