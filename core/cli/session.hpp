#pragma once
// What every command sets up the same way: the host view, the plugins and the rules, from the common options.
#include <memory>
#include <string>
#include <vector>

#include "cli/plugin_problems.hpp"
#include "engine/collect.hpp"
#include "ptdoctor/exit_codes.hpp"
#include "facts/fact_catalog.hpp"
#include "plugin/plugin_loader.hpp"
#include "ptdoctor/host_view.hpp"
#include "ptdoctor/report.hpp"
#include "ptdoctor/rules.hpp"
#include "snapshot/snapshot_reader.hpp"

namespace ptdoctor::cli {

struct CommonOptions {
  std::string root = "/";
  std::string snapshot;                   // --snapshot FILE: judge an archive from `ptdoctor snapshot`
  std::vector<std::string> specs;         // --spec FILE (repeatable): parts lists to judge (pre-purchase), no host
  std::string spec;                       // the one parts list a Session judges (the first of specs by default)
  std::vector<std::string> plugin_dirs;   // --plugin-dir, after the installed directory
  std::vector<std::string> rule_paths;    // --rules, after the installed rules
  bool no_default_plugins = false;
  bool no_default_rules = false;
  std::vector<std::string> gpu;           // --gpu BDF
  std::vector<std::string> usb;           // --usb BDF (repeatable)
  std::string kernel_config;              // --kernel-config FILE
  std::string pci_dump;                   // --pci-dump FILE (lspci -xxx output instead of sysfs)
  std::vector<std::string> domu;          // --domu FILE (repeatable): judge these domU configs, not /etc/xen's
  int verbosity = 0;                      // -v count
  bool quiet = false;
};

// Thrown for problems the user must fix on the command line (exit 64).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Thrown for an input the user named that cannot be used (exit 66 EX_NOINPUT, or 74 EX_IOERR for a failed read):
// the message names the file and why.
struct InputError : std::runtime_error {
  explicit InputError(const Error& error)
      : std::runtime_error(error.message), exit_code(error.kind == ErrorKind::kIo ? kExitIoError : kExitNoInput) {}
  int exit_code;
};

// Thrown when the place ptdoctor must write cannot take the change (exit 73 EX_CANTCREAT): the message names it.
struct CantCreateError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Loads the archive module (snapshot/archive_module.hpp) for a command about to read or write an archive. Without
// it ptdoctor is installed incompletely, which no option fixes: throws std::runtime_error (exit 70, "internal
// error") naming the module file.
void require_archive_module();

class Session {
 public:
  // record_accesses: keep the list of every path read (HostView::accessed()), which only a snapshot needs.
  explicit Session(const CommonOptions& options, bool record_accesses = false);

  // Opens the host view (over the extracted --snapshot, if given); throws UsageError when the root cannot be
  // opened or the snapshot is refused.
  const HostView& host();
  // Loads the plugins once; loader problems become diagnostics. Their `provides` is left as the plugin says:
  // collecting and judging never read it, and the declarations cost a YAML parse per plugin.
  std::vector<plugin::LoadedPlugin>& plugins();
  // The plugins with `provides` filled from the installed declarations (catalog problems become diagnostics).
  std::vector<plugin::LoadedPlugin>& declared_plugins();
  // The installed fact declarations (plugins' facts.yaml), loaded once; problems become diagnostics.
  const facts::FactCatalog& catalog();
  // Loads the rules once; a rule file error is a usage error (exit 64) naming file:line:column.
  const RuleSet& rules();
  // Runs the plugins (once) and returns their facts; with --spec, the facts come from the parts list instead.
  engine::Collection& collection();
  // A complete run: facts, rule results, verdict.
  RunReport check();

  // The judged host's name (/proc/sys/kernel/hostname, else /etc/hostname); "" when neither says.
  std::string hostname();

  PluginOptions plugin_options() const;
  // --domu paths as host paths (relative ones made absolute when judging this machine).
  std::vector<std::string> domu_host_paths() const;
  const CommonOptions& options() const { return options_; }
  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }
  // Once the output is written: the rules and the collected facts are left for the process's exit to reclaim
  // (util/leave_for_exit.hpp); the session's other parts (an extracted snapshot's directory) still clean up.
  void leave_results_for_exit();

 private:
  // What collecting needs first, once: the host view, the --domu files checked (one that cannot be read is
  // refused before anything runs), the plugins loaded.
  void ready_to_collect();
  CommonOptions options_;
  bool record_accesses_;
  std::unique_ptr<snapshot::ExtractedSnapshot> extracted_;  // declared first: outlives the view over it
  std::unique_ptr<HostView> host_;
  std::optional<plugin::LoadOutcome> plugins_;
  bool ready_to_collect_ = false;
  std::vector<std::string> plugin_dirs_;  // the directories searched, for "no ptdoctor-pci.so in DIR"
  std::vector<AbsentPlugin> absent_;      // the catalog's plugins this run lacks (host runs only)
  std::optional<RuleSet> rules_;
  std::optional<facts::FactCatalog> catalog_;
  bool declarations_filled_ = false;
  std::optional<engine::Collection> collection_;
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace ptdoctor::cli
