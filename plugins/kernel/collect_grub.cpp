// kernel.grub.*: the GRUB_CMDLINE_* defaults update-grub turns into the boot entries (Debian's 10_linux and
// 20_linux_xen), read from /etc/default/grub and /etc/default/grub.d/*.cfg without running them.
#include <string_view>

#include "cmdline.hpp"
#include "collectors.hpp"
#include "pciback_hide.hpp"
#include "shell_assignments.hpp"
#include "text_util.hpp"

namespace ptdoctor::hostplug {
namespace {

constexpr const char* kVariables[] = {
    "GRUB_CMDLINE_LINUX",      "GRUB_CMDLINE_LINUX_DEFAULT",          "GRUB_CMDLINE_XEN",
    "GRUB_CMDLINE_XEN_DEFAULT", "GRUB_CMDLINE_LINUX_XEN_REPLACE", "GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT"};

bool is_cmdline_variable(const std::string& name) { return starts_with(name, "GRUB_CMDLINE_"); }

std::string value_of(const std::map<std::string, std::string>& variables, const std::string& name) {
  auto found = variables.find(name);
  return found == variables.end() ? "" : found->second;
}

// The dom0 kernel line of the normal Xen entries /etc/grub.d/20_linux_xen writes: GRUB_CMDLINE_LINUX(_DEFAULT), each
// replaced by its GRUB_CMDLINE_LINUX_XEN_REPLACE(_DEFAULT) counterpart only when that is non-empty
// (grub util/grub.d/20_linux_xen.in: `if [ "${GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT}" ]; then ...`): an empty
// REPLACE="" replaces nothing. Recovery entries get only GRUB_CMDLINE_LINUX and GRUB_CMDLINE_XEN, so a hide list in
// a _DEFAULT or REPLACE_DEFAULT variable is absent there.
std::string xen_dom0_line(const std::map<std::string, std::string>& variables) {
  std::string line;
  for (const char* base : {"GRUB_CMDLINE_LINUX", "GRUB_CMDLINE_LINUX_DEFAULT"}) {
    std::string name(base);
    std::string replace = name == "GRUB_CMDLINE_LINUX" ? "GRUB_CMDLINE_LINUX_XEN_REPLACE"
                                                       : "GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT";
    const std::string replacement = value_of(variables, replace);
    line += " " + (replacement.empty() ? value_of(variables, name) : replacement);
  }
  return line;
}

}  // namespace

void collect_grub(const CollectContext& context, FactWriter& out) {
  const HostView& host = context.host;
  std::vector<std::string> paths;
  if (host.exists("/etc/default/grub")) paths.push_back("/etc/default/grub");
  if (auto names = host.list_dir("/etc/default/grub.d")) {
    for (const std::string& name : *names) {
      if (name.size() > 4 && name.substr(name.size() - 4) == ".cfg") paths.push_back("/etc/default/grub.d/" + name);
    }
  }
  if (paths.empty()) {
    out.unknown("grub", "no /etc/default/grub or /etc/default/grub.d/*.cfg (GRUB not used, or not Debian-like)");
    return;
  }
  std::map<std::string, std::string> variables;
  std::vector<std::string> files;
  std::map<std::string, std::string> set_in;  // variable -> last file that assigned it
  std::map<std::string, std::string> failed;  // variable -> why its assignment could not be read
  std::string unreadable;                     // a file or line that may have assigned any of them
  for (const std::string& path : paths) {
    auto text = host.read_file(path);
    if (!text) {
      unreadable = read_failure(path, text.error());
      out.diagnostic(unreadable + "; its GRUB settings are not considered");
      continue;
    }
    std::map<std::string, std::string> before = variables;
    for (const ShellProblem& problem : read_shell_assignments(*text, variables)) {
      // Other variables (GRUB_DISTRIBUTOR=`lsb_release ...` in Debian's own file) and shell code that does not
      // touch the command lines (xen.cfg's echo) are none of our business.
      bool relevant = problem.name.empty() ? problem.message.find("GRUB_CMDLINE_") != std::string::npos
                                           : is_cmdline_variable(problem.name);
      if (relevant) {
        const std::string where = path + ": line " + std::to_string(problem.line) + ": " + problem.message;
        out.diagnostic(where);
        // An unreadable line may swallow what follows it (an unterminated quote): no other variable is then
        // known to be unset either.
        if (!problem.name.empty()) failed[problem.name] = where;
        unreadable = where;
      }
    }
    for (const auto& [name, value] : variables) {
      auto old = before.find(name);
      if (old == before.end() || old->second != value) set_in[name] = path;
    }
    files.push_back(path);
  }
  out.set("grub.files", files, "/etc/default/grub");
  // A variable no file assigns is empty in the entries: 10_linux and 20_linux_xen expand it as it is
  // (grub util/grub.d/20_linux_xen.in, "${GRUB_CMDLINE_XEN} ${GRUB_CMDLINE_XEN_DEFAULT}"). It is unknown only when
  // an assignment of it, or a file or line that may hold one, could not be read.
  std::string all_files;
  for (const std::string& file : files) all_files += (all_files.empty() ? "" : ", ") + file;
  std::string dom0_line_unknown;  // why a variable of the dom0 line is unknown
  for (const char* name : kVariables) {
    const std::string fact = std::string("grub.") + name;
    std::string why_unknown;
    if (auto found = variables.find(name); found != variables.end()) {
      out.set(fact, found->second, set_in[name]);
    } else if (auto why = failed.find(name); why != failed.end()) {
      why_unknown = why->second;
    } else if (!unreadable.empty()) {
      why_unknown = "not set in what could be read; " + unreadable;
    } else {
      out.set(fact, "", "not set in " + all_files + ": update-grub expands it empty");
    }
    if (why_unknown.empty()) continue;
    out.unknown(fact, why_unknown);
    if (std::string_view(name).substr(0, 18) == "GRUB_CMDLINE_LINUX" && dom0_line_unknown.empty()) {
      dom0_line_unknown = std::string(name) + " is unknown: " + why_unknown;
    }
  }
  // What xen-pciback will hide after the next update-grub and reboot into Xen (errors in it are reported by the
  // running line's own parse once it is booted; here only the list matters). Unknown when a variable that makes
  // up the dom0 line is: an empty list would claim the next boot hides nothing.
  if (!dom0_line_unknown.empty()) {
    out.unknown("grub.xen_dom0_pciback_hide", dom0_line_unknown);
    return;
  }
  Cmdline dom0 = parse_cmdline(xen_dom0_line(variables));
  auto hide = dom0.params.find("xen_pciback.hide");
  std::vector<std::string> bdfs;
  if (hide != dom0.params.end()) bdfs = parse_hide_list(hide->second.back()).bdfs;
  out.set("grub.xen_dom0_pciback_hide", bdfs, "GRUB_CMDLINE_LINUX(_XEN_REPLACE)(_DEFAULT)");
}

}  // namespace ptdoctor::hostplug
