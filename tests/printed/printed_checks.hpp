#pragma once
// Judges a piece of text ptdoctor prints as advice (a rule's fix, a plan step, a file the plan writes) by what it
// claims to be, with ptdoctor's own parsers: kernel and Xen command-line words (plugins/kernel cmdline and pciback
// hide list), modprobe.d and /etc/modules lines, /etc/default/grub assignments (core/fix shell_variable), domU
// configs and pci= entries (libxlutil through plugins/domu), and a small table of the shell commands ptdoctor
// suggests. Every PCI address must be a device of the host, every module a plausible one, and no placeholder of
// ptdoctor's own may survive where the text is meant to be pasted.
#include <map>
#include <set>
#include <string>
#include <vector>

namespace ptdoctor::testing {

// What is true of the host the text was printed for.
struct HostTruth {
  std::set<std::string> bdfs;     // every PCI function under sys/bus/pci/devices of the root, "dddd:bb:dd.f"
  // Modules a fix may name: the drivers bound now, the ones that could claim the host's GPUs, audio and USB
  // controllers (by sysfs vendor and class), and pciback, msr and vfio_iommu_type1.
  std::set<std::string> modules;
  // The words of each GRUB_* variable in the host's /etc/default/grub as it is now (an assignment printed as advice
  // must keep them: pasting it must not drop the user's other options).
  std::map<std::string, std::vector<std::string>> grub_words;
};

HostTruth host_truth(const std::string& root, const std::vector<std::string>& drivers);

// Counts of what was parsed, by kind ("kernel parameter", "modprobe line", ...), over every check call.
using Tally = std::map<std::string, int>;

struct Judge {
  const HostTruth& host;
  Tally& tally;
  std::vector<std::string> problems;  // "<where>: <what>"
  // Code spans of no kind the judge knows: checked only for placeholders and addresses, listed by the test.
  std::set<std::string> unclassified = {};

  // Advice for people: fix texts, manual steps, notes. Backtick spans are judged as code, the prose around them for
  // addresses, hide lists and pci= entries, and for placeholders that mean a value was missing.
  void advice(const std::string& where, const std::string& text);
  // A rule's message or a plan's reason: addresses must exist; a `?` for an unknown value is the report's business.
  void statement(const std::string& where, const std::string& text);
  // One code span, or one line given as code.
  void code(const std::string& where, const std::string& span);
  // A command the plan runs.
  void command(const std::string& where, const std::vector<std::string>& argv);
  // A file the plan writes, by its path on the host.
  void file(const std::string& where, const std::string& path, const std::string& contents);

 private:
  void fail(const std::string& where, const std::string& what) { problems.push_back(where + ": " + what); }
  void addresses(const std::string& where, const std::string& text);
  void kernel_words(const std::string& where, const std::string& words, const std::string& kind);
  void modprobe_lines(const std::string& where, const std::string& text, const std::string& kind);
  void module_name(const std::string& where, std::string name);
  void grub_assignment(const std::string& where, const std::string& text, const std::string& key);
  void domu_config(const std::string& where, const std::string& text);
  void pci_entry(const std::string& where, const std::string& entry);
  void shell(const std::string& where, const std::string& line);
};

// Placeholders ptdoctor uses when it lacks a value ("BB:DD.F", "BDF", "DRIVER", "ROOT", "?", "...", an unexpanded
// "{fact}"), found in text meant to be pasted; empty when none.
std::string placeholder_in(const std::string& code);

}  // namespace ptdoctor::testing
