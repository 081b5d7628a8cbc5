#include "printed_checks.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "bdf.hpp"
#include "cmdline.hpp"
#include "fix/shell_variable.hpp"
#include "modprobe_conf.hpp"
#include "pciback_hide.hpp"
#include "xl_parser.hpp"

namespace ptdoctor::testing {
namespace {

// The /etc/default/grub variables that carry command-line words (Debian's /etc/grub.d/10_linux and 20_linux_xen).
const std::vector<std::string> kGrubCmdlineKeys = {
    "GRUB_CMDLINE_LINUX",      "GRUB_CMDLINE_LINUX_DEFAULT", "GRUB_CMDLINE_LINUX_XEN_REPLACE",
    "GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT", "GRUB_CMDLINE_XEN", "GRUB_CMDLINE_XEN_DEFAULT"};

std::string trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\n");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\n") - begin + 1);
}

std::vector<std::string> split_words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Modules a fix may name whatever the devices: pciback itself, msr (to read the VT-x/SVM lock register) and vfio's
// IOMMU module (whose unsafe-interrupts option a rule tells the user to delete).
const std::set<std::string> kModulesAnyHost = {"xen_pciback", "msr", "vfio_iommu_type1"};

// The dom0 drivers that could claim a device, judged from its sysfs vendor and class alone (not by ptdoctor's own
// planner code, which is under test): GPU drivers by vendor, HDMI audio, USB host controllers by interface.
std::set<std::string> drivers_for_device(const std::string& vendor, const std::string& pci_class) {
  if (starts_with(pci_class, "0x03")) {
    if (vendor == "0x1002") return {"amdgpu", "radeon"};
    if (vendor == "0x10de") return {"nouveau", "nvidia"};
    if (vendor == "0x8086") return {"i915", "xe"};
  }
  if (starts_with(pci_class, "0x0403")) return {"snd_hda_intel"};
  if (pci_class == "0x0c0300") return {"uhci_hcd"};
  if (pci_class == "0x0c0310") return {"ohci_pci"};
  if (pci_class == "0x0c0320") return {"ehci_pci"};
  if (pci_class == "0x0c0330") return {"xhci_pci"};
  return {};
}

// PCI addresses as lspci and ptdoctor print them: [DDDD:]BB:DD.F (a wildcard "BB:DD.*" names a slot, not a function).
const std::regex& address_pattern() {
  static const std::regex kAddress(R"((^|[^0-9A-Fa-f:])((?:[0-9A-Fa-f]{4}:)?[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\.[0-7])(?![0-9A-Za-z]))");
  return kAddress;
}

// The simple commands of a pipeline or list ("a && b | c > f" -> "a", "b", "c"), splitting only outside quotes; a
// redirection's target is a path, not an argument, and is dropped.
std::vector<std::string> simple_commands(const std::string& line) {
  std::vector<std::string> out(1);
  char quote = 0;
  bool redirected = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      if (!redirected) out.back() += c;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      if (!redirected) out.back() += c;
    } else if (c == '&' || c == '|' || c == ';') {
      if (i + 1 < line.size() && line[i + 1] == c) ++i;
      out.emplace_back();
      redirected = false;
    } else if (c == '>' || c == '<') {
      redirected = true;
    } else if (!redirected) {
      out.back() += c;
    }
  }
  return out;
}

}  // namespace

HostTruth host_truth(const std::string& root, const std::vector<std::string>& drivers) {
  HostTruth truth;
  std::error_code ec;
  truth.modules = kModulesAnyHost;
  for (const auto& entry : std::filesystem::directory_iterator(root + "/sys/bus/pci/devices", ec)) {
    if (auto bdf = hostplug::normalize_bdf(entry.path().filename().string())) truth.bdfs.insert(*bdf);
    const std::string vendor = trim(read_file(entry.path() / "vendor"));
    const std::string pci_class = trim(read_file(entry.path() / "class"));
    for (const std::string& driver : drivers_for_device(vendor, pci_class)) truth.modules.insert(driver);
  }
  for (std::string driver : drivers) {
    std::replace(driver.begin(), driver.end(), '-', '_');
    truth.modules.insert(driver);
  }
  const std::string grub = read_file(root + "/etc/default/grub");
  for (const std::string& key : kGrubCmdlineKeys) truth.grub_words[key] = fix::shell_variable_words(grub, key);
  return truth;
}

std::string placeholder_in(const std::string& code) {
  static const std::vector<std::pair<std::regex, std::string>> kPlaceholders = {
      {std::regex(R"([{}])"), "an unexpanded {fact}"},
      {std::regex(R"(BB:DD\.F|\bBDF\b)"), "the address placeholder BB:DD.F / BDF"},
      {std::regex(R"(\bDRIVER\b)"), "the driver placeholder DRIVER"},
      {std::regex(R"(\bROOT\b)"), "the path placeholder ROOT"},
      {std::regex(R"(/path/to)"), "the path placeholder /path/to"},
      {std::regex(R"(\.\.\.|…)"), "an ellipsis"},
      // value_text()'s "?" for a missing fact: a word of its own, or glued to the end of a word ("config-?").
      {std::regex(R"((^|[\s(=,:-])\?($|[\s),;]))"), "\"?\", a fact that had no value"},
  };
  for (const auto& [pattern, name] : kPlaceholders) {
    if (std::regex_search(code, pattern)) return name;
  }
  return "";
}

void Judge::advice(const std::string& where, const std::string& text) {
  ++tally["advice text"];
  std::string prose;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t open = text.find('`', at);
    if (open == std::string::npos) {
      prose += text.substr(at);
      break;
    }
    const std::size_t close = text.find('`', open + 1);
    if (close == std::string::npos) {
      fail(where, "an unclosed ` code span: \"" + text.substr(open) + "\"");
      break;
    }
    prose += text.substr(at, open - at) + " ";
    code(where, text.substr(open + 1, close - open - 1));
    at = close + 1;
  }
  // Outside code a placeholder the reader must fill in (BB:DD.F, NAME) is allowed: it is not offered for pasting.
  // A missing value ("?") or an unexpanded {fact} never is.
  static const std::regex kMissing(R"([{}]|(^|[\s(=,:-])\?($|[\s),;]))");
  if (std::regex_search(prose, kMissing)) fail(where, "prose with a missing value or an unexpanded {fact}: \"" + text + "\"");
  addresses(where, prose);
  static const std::regex kHideWord(R"(xen[-_]pciback\.hide=[^\s`]*[^\s`.,;])");
  for (auto it = std::sregex_iterator(prose.begin(), prose.end(), kHideWord); it != std::sregex_iterator(); ++it) {
    kernel_words(where, it->str(), "kernel parameter");
  }
  static const std::regex kPciLine(R"(pci\s*=\s*\[[^\]]*\])");
  for (auto it = std::sregex_iterator(prose.begin(), prose.end(), kPciLine); it != std::sregex_iterator(); ++it) {
    domu_config(where, it->str());
  }
  static const std::regex kPciEntry(R"('([^'\[\]]*,rdm_policy=[^']*)')");
  if (!std::regex_search(prose, kPciLine)) {
    for (auto it = std::sregex_iterator(prose.begin(), prose.end(), kPciEntry); it != std::sregex_iterator(); ++it) {
      pci_entry(where, (*it)[1].str());
    }
  }
}

void Judge::addresses(const std::string& where, const std::string& text) {
  for (auto it = std::sregex_iterator(text.begin(), text.end(), address_pattern()); it != std::sregex_iterator(); ++it) {
    ++tally["PCI address"];
    const std::string written = (*it)[2].str();
    const auto bdf = hostplug::normalize_bdf(written);
    if (!bdf || host.bdfs.count(*bdf) == 0) fail(where, "names " + written + ", which this host does not have");
  }
}

void Judge::code(const std::string& where, const std::string& raw) {
  const std::string span = trim(raw);
  if (std::string placeholder = placeholder_in(span); !placeholder.empty()) {
    fail(where, "`" + span + "` is offered for pasting but holds " + placeholder);
    return;
  }
  addresses(where, span);
  static const std::regex kModprobe(R"(^(options|softdep|install|blacklist|alias|remove)\s)");
  static const std::regex kGrub(R"(^(GRUB_[A-Z_]+|XEN_OVERRIDE_GRUB_DEFAULT)=)");
  static const std::regex kKconfig(R"(^CONFIG_[A-Z0-9_]+=(y|m|n|"[^"]*"|[0-9]+)$)");
  static const std::regex kDomu(R"(^(pci|rdm|gfx_passthru|pci_msitranslate|pci_permissive|device_model_version|type|builder|maxmem|memory|mmio_hole)\s*=)");
  // Starts like a kernel or Xen parameter: judged as command-line words, so "hide=(a, b)" is two words, not one.
  static const std::regex kParameter(R"(^[a-zA-Z0-9_.-]+=)");
  static const std::regex kShell(R"(^(xl|update-grub|update-initramfs|modprobe|apt|apt-get|lspci|lsusb|acpidump|make|cp|zcat|cpuid|rdmsr|ptdoctor|dmesg|grep|cat|mount)(\s|$))");
  std::smatch match;
  if (std::regex_search(span, kModprobe)) {
    modprobe_lines(where, span, "modprobe.d line");
  } else if (std::regex_search(span, match, kGrub)) {
    grub_assignment(where, span, match[1].str());
  } else if (std::regex_match(span, kKconfig)) {
    ++tally["kernel config line"];
  } else if (std::regex_search(span, kDomu)) {
    domu_config(where, span);
  } else if (std::regex_search(span, kShell)) {
    shell(where, span);
  } else if (starts_with(span, "(")) {
    kernel_words(where, "xen-pciback.hide=" + span, "hide list entries");
  } else if (std::regex_search(span, kParameter)) {
    kernel_words(where, span, "kernel parameter");
  } else {
    std::string module = span;
    std::replace(module.begin(), module.end(), '-', '_');
    if (host.modules.count(module)) {
      ++tally["module name (/etc/modules line)"];
    } else {
      ++tally["other code span"];
      unclassified.insert(span);
    }
  }
}

void Judge::kernel_words(const std::string& where, const std::string& words, const std::string& kind) {
  ++tally[kind];
  const hostplug::Cmdline parsed = hostplug::parse_cmdline(words);
  std::size_t count = 0;
  for (const auto& [name, values] : parsed.params) count += values.size();
  if (count != split_words(words).size() || !parsed.init_args.empty()) {
    fail(where, "\"" + words + "\" is " + std::to_string(split_words(words).size()) + " word(s) but the command-line "
                "parser reads " + std::to_string(count) + " parameter(s) from it");
  }
  static const std::regex kName(R"(^[a-z0-9_.]+$)");
  for (const auto& [name, values] : parsed.params) {
    if (!std::regex_match(name, kName)) fail(where, "\"" + name + "\" is not a kernel parameter name");
    if (name != "xen_pciback.hide") continue;
    for (const std::string& value : values) {
      const hostplug::HideList list = hostplug::parse_hide_list(value);
      if (list.error) {
        fail(where, "xen-pciback's hide list \"" + value + "\" does not parse: " + *list.error);
        continue;
      }
      for (const std::string& bdf : list.bdfs) {
        if (host.bdfs.count(bdf) == 0) fail(where, "the hide list names " + bdf + ", which this host does not have");
      }
    }
  }
}

void Judge::modprobe_lines(const std::string& where, const std::string& text, const std::string& kind) {
  ++tally[kind];
  hostplug::ModprobeConf conf;
  hostplug::parse_modprobe_conf(text, where, conf);
  for (const std::string& problem : conf.problems) fail(where, "modprobe.d: " + problem);
  for (const auto& [module, options] : conf.options) {
    module_name(where, module);
    for (const std::string& option : options) {
      if (module == "xen_pciback" && starts_with(option, "hide=")) kernel_words(where, "xen-pciback." + option, "hide list");
    }
  }
  for (const auto& [module, softdep] : conf.softdeps) {
    module_name(where, module);
    for (const auto* list : {&softdep.pre, &softdep.post}) {
      for (const std::string& other : *list) module_name(where, other);
    }
  }
  for (const auto& [module, command] : conf.installs) module_name(where, module);
  for (const std::string& module : conf.blacklist) module_name(where, module);
}

void Judge::module_name(const std::string& where, std::string name) {
  ++tally["module name"];
  std::replace(name.begin(), name.end(), '-', '_');
  if (host.modules.count(name) == 0) {
    fail(where, "names the module \"" + name + "\": neither a driver of this host's devices nor one ptdoctor plans");
  }
}

void Judge::grub_assignment(const std::string& where, const std::string& text, const std::string& key) {
  ++tally["/etc/default/grub assignment"];
  const bool cmdline = std::find(kGrubCmdlineKeys.begin(), kGrubCmdlineKeys.end(), key) != kGrubCmdlineKeys.end();
  const std::vector<std::string> words = fix::shell_variable_words(text, key);
  if (words.empty() && text != key + "=\"\"" && text != key + "=") {
    fail(where, "`" + text + "` does not parse as a shell assignment of " + key);
    return;
  }
  if (!cmdline) return;
  std::string own;
  for (const std::string& word : words) {
    if (!starts_with(word, "$")) own += (own.empty() ? "" : " ") + word;
  }
  if (!own.empty()) kernel_words(where, own, "kernel parameter");
  auto current = host.grub_words.find(key);
  if (current == host.grub_words.end()) return;
  for (const std::string& word : current->second) {
    if (std::find(words.begin(), words.end(), word) == words.end()) {
      fail(where, "`" + text + "` drops \"" + word + "\", which this host's " + key + " has: pasting it loses the option");
    }
  }
}

void Judge::domu_config(const std::string& where, const std::string& text) {
  ++tally["domU config"];
  domu::XlConfig config(text, "printed");
  if (!config.ok()) {
    fail(where, "libxlutil rejects the domU config text \"" + text + "\": " + config.report());
    return;
  }
  if (auto entries = config.list("pci")) {
    for (const std::string& entry : *entries) pci_entry(where, entry);
  }
  if (auto rdm = config.text("rdm"); rdm && !config.rdm_accepted(*rdm)) {
    fail(where, "libxlutil does not accept rdm = \"" + *rdm + "\"");
  }
}

void Judge::pci_entry(const std::string& where, const std::string& entry) {
  ++tally["pci= entry"];
  domu::XlConfig config("pci = [ '" + entry + "' ]\n", "printed");
  const domu::PciSpec spec = config.pci(entry, {});
  if (!config.ok() || !spec.parsed) {
    fail(where, "libxlutil rejects the pci= entry '" + entry + "': " + spec.error);
    return;
  }
  bool present = host.bdfs.count(spec.bdf) > 0;
  if (spec.all_functions) {
    const std::string slot = spec.bdf.substr(0, spec.bdf.rfind('.') + 1);
    present = std::any_of(host.bdfs.begin(), host.bdfs.end(), [&](const std::string& b) { return starts_with(b, slot); });
  }
  if (!present) fail(where, "the pci= entry '" + entry + "' names a device this host does not have");
}

void Judge::shell(const std::string& where, const std::string& line) {
  ++tally["shell command"];
  for (std::string simple : simple_commands(line)) {
    const std::vector<std::string> words = split_words(simple);
    if (words.empty()) {
      fail(where, "`" + line + "` has an empty command");
      continue;
    }
    const std::string& program = words[0];
    static const std::set<std::string> kPrograms = {"xl",    "update-grub", "update-initramfs", "modprobe", "apt",
                                                    "apt-get", "lspci",     "lsusb",            "acpidump", "make",
                                                    "cp",    "zcat",        "cpuid",            "rdmsr",    "ptdoctor",
                                                    "dmesg", "grep",        "cat",              "mount"};
    if (kPrograms.count(program) == 0) {
      fail(where, "`" + line + "` runs \"" + program + "\", a command this test does not know how to check");
      continue;
    }
    auto arguments_are_addresses = [&](std::size_t first, std::size_t want) {
      std::size_t found = 0;
      for (std::size_t i = first; i < words.size(); ++i) {
        if (starts_with(words[i], "-")) continue;
        ++found;
        const auto bdf = hostplug::normalize_bdf(words[i]);
        if (!bdf) fail(where, "`" + line + "`: \"" + words[i] + "\" is not a PCI address");
        else if (host.bdfs.count(*bdf) == 0) fail(where, "`" + line + "` names " + words[i] + ", which this host does not have");
      }
      if (found != want) fail(where, "`" + line + "` takes " + std::to_string(want) + " PCI address(es), has " + std::to_string(found));
    };
    if (words.size() == 2 && program == "xl") {
      ++tally["command mentioned by name"];  // "`xl create` fails when ...": nothing to paste
    } else if (program == "xl" && words.size() > 1) {
      const std::string& sub = words[1];
      if (sub == "pci-assignable-add" || sub == "pci-assignable-remove") arguments_are_addresses(2, 1);
      else if (sub == "create" && words.size() < 3) fail(where, "`" + line + "` names no config file");
    } else if (program == "xl") {
      fail(where, "`" + line + "` has no xl subcommand");
    } else if (program == "update-grub" && words.size() != 1) {
      fail(where, "`" + line + "`: update-grub takes no arguments");
    } else if (program == "update-initramfs" && (words.size() != 2 || words[1] != "-u")) {
      fail(where, "`" + line + "`: ptdoctor's form is `update-initramfs -u`");
    } else if (program == "modprobe") {
      for (std::size_t i = 1; i < words.size(); ++i) {
        if (!starts_with(words[i], "-")) module_name(where, words[i]);
      }
    } else if ((program == "apt" || program == "apt-get") && (words.size() < 3 || words[1] != "install")) {
      fail(where, "`" + line + "`: expected apt install PACKAGE");
    }
  }
}

void Judge::command(const std::string& where, const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& word : argv) line += (line.empty() ? "" : " ") + word;
  if (std::string placeholder = placeholder_in(line); !placeholder.empty()) {
    fail(where, "the command `" + line + "` holds " + placeholder);
    return;
  }
  shell(where, line);
}

void Judge::file(const std::string& where, const std::string& path, const std::string& contents) {
  if (path == "/etc/default/grub") {
    ++tally["/etc/default/grub file"];
    for (const std::string& key : kGrubCmdlineKeys) {
      const std::vector<std::string> words = fix::shell_variable_words(contents, key);
      auto current = host.grub_words.find(key);
      if (current != host.grub_words.end() && current->second == words) continue;  // a variable the plan left alone
      std::string own;
      for (const std::string& word : words) {
        if (!starts_with(word, "$")) own += (own.empty() ? "" : " ") + word;
      }
      if (!own.empty()) kernel_words(where + " " + key, own, "kernel parameter");
    }
  } else if (starts_with(path, "/etc/modprobe.d/")) {
    modprobe_lines(where, contents, "modprobe.d file");
  } else if (path == "/etc/modules" || path == "/etc/initramfs-tools/modules") {
    ++tally["module list file"];
    for (const std::string& module : hostplug::parse_modules_list(contents)) module_name(where, module);
  } else if (starts_with(path, "/etc/xen/") && path.size() > 4 && path.substr(path.size() - 4) == ".cfg") {
    domu_config(where, contents);
    addresses(where, contents);
  } else if (path == "/etc/ptdoctor/xen-passthrough.config") {
    ++tally["kernel config fragment"];
    static const std::regex kLine(R"(^(#.*|CONFIG_[A-Z0-9_]+=(y|m|n|"[^"]*"|[0-9]+)|# CONFIG_[A-Z0-9_]+ is not set)?$)");
    std::istringstream in(contents);
    for (std::string line; std::getline(in, line);) {
      if (!std::regex_match(line, kLine)) fail(where, "kernel config fragment line \"" + line + "\" is not NAME=VALUE");
    }
  } else {
    fail(where, "writes " + path + ", a file this test does not know how to parse: teach it");
  }
}

}  // namespace ptdoctor::testing
