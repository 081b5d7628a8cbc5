#include "utc_time.hpp"
#include "cli/session.hpp"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <map>
#include <ctime>

#include <spdlog/spdlog.h>

#include "cli/host_option_checks.hpp"
#include "fix/pending_apply.hpp"
#include "engine/install_paths.hpp"
#include "input_file.hpp"
#include "helper_thread.hpp"
#include "leave_for_exit.hpp"
#include "snapshot/archive_module.hpp"
#include "host/rooted_host_view.hpp"
#include "ptdoctor/config.hpp"
#include "spec/spec_facts.hpp"

namespace ptdoctor::cli {
namespace {


std::string first_line(const Result<std::string>& text) {
  if (!text) return "";
  std::string line = text->substr(0, text->find('\n'));
  return line;
}

}  // namespace

void require_archive_module() {
  if (auto backend = snapshot::archive_backend(); !backend) throw std::runtime_error(backend.error().message);
}

Session::Session(const CommonOptions& options, bool record_accesses)
    : options_(options), record_accesses_(record_accesses) {
  if (options_.spec.empty() && !options_.specs.empty()) options_.spec = options_.specs.front();
  check_host_options(options_);
}

const HostView& Session::host() {
  if (!host_ && !options_.snapshot.empty()) {
    require_input_file(options_.snapshot, {"snapshot archive (--snapshot)", static_cast<std::size_t>(snapshot::ExtractLimits{}.max_total_bytes)});
    require_archive_module();
    auto extracted = snapshot::extract_snapshot(options_.snapshot);
    if (!extracted) throw UsageError(extracted.error().message);
    extracted_ = std::move(extracted.value());
    host::HostViewOptions view_options;
    view_options.live = false;  // an archive is never this machine: its captures answer, nothing is run
    view_options.record_accesses = record_accesses_;
    auto opened = host::RootedHostView::open(extracted_->root(), view_options);
    if (!opened) throw UsageError("--snapshot " + options_.snapshot + ": " + opened.error().message);
    host_ = std::move(opened.value());
  }
  if (!host_) {
    host::HostViewOptions view_options;
    view_options.record_accesses = record_accesses_;
    auto opened = host::RootedHostView::open(options_.root, view_options);
    if (!opened && opened.error().kind == ErrorKind::kNotFound) {
      throw InputError(make_error(ErrorKind::kNotFound, "--root " + options_.root + ": " + opened.error().message));
    }
    if (!opened) throw UsageError("--root " + options_.root + ": " + opened.error().message);
    host_ = std::move(opened.value());
  }
  return *host_;
}

std::vector<plugin::LoadedPlugin>& Session::plugins() {
  if (!plugins_) {
    if (!options_.no_default_plugins) plugin_dirs_.push_back(engine::install_paths().plugin_dir);
    plugin_dirs_.insert(plugin_dirs_.end(), options_.plugin_dirs.begin(), options_.plugin_dirs.end());
    plugins_ = plugin::load_plugins(plugin_dirs_);
    for (const Error& problem : plugins_->problems) {
      spdlog::warn("{}", problem.message);
      diagnostics_.push_back({"error", "core", problem.message});
    }
    spdlog::debug("{} plugins loaded", plugins_->plugins.size());
  }
  return plugins_->plugins;
}

std::vector<plugin::LoadedPlugin>& Session::declared_plugins() {
  std::vector<plugin::LoadedPlugin>& loaded_plugins = plugins();
  if (!declarations_filled_) {
    // A plugin's `provides` comes from its declarations when it has them: facts are declared once, in facts.yaml.
    for (plugin::LoadedPlugin& loaded : loaded_plugins) {
      if (loaded.info.provides.empty()) loaded.info.provides = catalog().provides(loaded.info.fact_namespace);
    }
    declarations_filled_ = true;
  }
  return loaded_plugins;
}

const facts::FactCatalog& Session::catalog() {
  if (!catalog_) {
    catalog_.emplace();
    for (const Error& problem : catalog_->load_dir(engine::install_paths().facts_dir)) {
      spdlog::warn("{}", problem.message);
      diagnostics_.push_back({"error", "core", problem.message});
    }
  }
  return *catalog_;
}

const RuleSet& Session::rules() {
  if (!rules_) {
    rules_.emplace();
    std::vector<std::string> paths;
    if (!options_.no_default_rules) paths.push_back(engine::install_paths().rules_dir);
    paths.insert(paths.end(), options_.rule_paths.begin(), options_.rule_paths.end());
    std::string problems;
    for (const std::string& path : paths) {
      for (const Error& error : rules_->load(path)) {
        if (error.kind == ErrorKind::kNotFound || error.kind == ErrorKind::kIo) throw InputError(error);
        problems += (problems.empty() ? "" : "\n") + error.message;
      }
    }
    if (!problems.empty()) throw UsageError("invalid rules:\n" + problems);
  }
  return *rules_;
}

// --domu names host paths, read through the host view like /etc/xen. On this machine a relative path means the
// current directory; in a --root tree or a snapshot there is no current directory, so it must be absolute.
std::vector<std::string> Session::domu_host_paths() const {
  const bool this_machine = options_.snapshot.empty() && std::filesystem::path(options_.root) == "/";
  std::vector<std::string> paths;
  for (const std::string& given : options_.domu) {
    if (!given.empty() && given.front() != '/' && !this_machine) {
      throw UsageError("--domu " + given + ": give the config's absolute path inside the --root tree or snapshot");
    }
    paths.push_back(given.empty() || given.front() == '/' ? given : std::filesystem::absolute(given).string());
  }
  return paths;
}

PluginOptions Session::plugin_options() const {
  PluginOptions options;
  if (!options_.gpu.empty()) options["gpu"] = options_.gpu;
  if (!options_.usb.empty()) options["usb"] = options_.usb;
  if (!options_.kernel_config.empty()) options["kernel-config"] = {options_.kernel_config};
  if (!options_.pci_dump.empty()) options["pci-dump"] = {options_.pci_dump};
  if (!options_.domu.empty()) options["domu"] = domu_host_paths();
  // Where plugins find the tool's own data files (rules/gpu-quirks.yaml, rules/hwdb/): installed first, then
  // any --rules directory, so a user's additions are seen too.
  std::vector<std::string> rule_dirs;
  if (!options_.no_default_rules) rule_dirs.push_back(engine::install_paths().rules_dir);
  for (const std::string& path : options_.rule_paths) {
    if (std::filesystem::is_directory(path)) rule_dirs.push_back(path);
  }
  options["rules-dir"] = rule_dirs;
  return options;
}

void Session::ready_to_collect() {
  if (ready_to_collect_) return;
  check_domu_files(host(), domu_host_paths());
  plugins();
  ready_to_collect_ = true;
}

engine::Collection& Session::collection() {
  if (!collection_ && !options_.spec.empty()) {
    require_input_file(options_.spec, kPartsListInput);
    auto built = spec::facts_from_spec(options_.spec, plugin_options().at("rules-dir"));
    if (!built) throw UsageError(built.error().message);
    collection_ = std::move(built.value());
  }
  if (!collection_) {
    ready_to_collect();
    const HostView& view = host();
    if (!every_declared_plugin_loaded(engine::install_paths().facts_dir, *plugins_)) {
      absent_ = absent_plugins(catalog(), *plugins_, plugin_dirs_);
    }
    std::map<std::string, std::string> absent_namespaces;
    for (const AbsentPlugin& entry : absent_) {
      const PluginProblem& problem = entry.problem;
      absent_namespaces[entry.fact_namespace] =
          "the " + problem.name + " plugin " +
          (problem.kind == PluginProblemKind::kRefused ? "was refused: " : "is missing: ") + problem.reason;
    }
    // The plugins collecting on the helper thread read through a view of their own (engine::collect_facts).
    const auto* rooted = dynamic_cast<const host::RootedHostView*>(&view);
    const std::unique_ptr<host::RootedHostView> beside = rooted != nullptr ? rooted->sibling() : nullptr;
    collection_ = engine::collect_facts(view, plugins(), plugin_options(), absent_namespaces, engine::Turns::kBeside,
                                        beside.get());
    if (beside) rooted->add_accessed(*beside);
  }
  return *collection_;
}

std::string Session::hostname() {
  if (!options_.spec.empty()) return "";
  std::string name = first_line(host().read_file("/proc/sys/kernel/hostname", 4096));
  if (name.empty()) name = first_line(host().read_file("/etc/hostname", 4096));
  return name;
}

void Session::leave_results_for_exit() {
  if (rules_) leave_for_exit(std::move(rules_));
  if (collection_) leave_for_exit(std::move(collection_));
  // The plugins too: closing a module unmaps it, and each unmapping waits for the other CPU's TLB to be flushed
  // (7 interprocessor interrupts after the report was written, perf tlb:tlb_flush); exit unmaps everything at once.
  if (plugins_) leave_for_exit(std::move(*plugins_));
  rules_.reset();
  collection_.reset();
  plugins_.reset();
}

RunReport Session::check() {
  // The rules and the facts do not depend on each other, so the installed rules are read on a second thread while
  // the plugins collect: on a live check each is about a third of the work. get() rethrows an invalid-rules error.
  // A user's --rules are read first, as before: a file that cannot be read or parsed is refused before anything
  // is collected (the command line is checked up front).
  std::future<const RuleSet*> reading_rules;
  if (options_.rule_paths.empty()) {
    // The plugins are loaded before that thread starts: loading a module maps and write-protects its pages, and
    // while another thread of the process runs on the other CPU each such change waits for that CPU to flush its
    // TLB (an interprocessor interrupt: 22 us instead of 2 per mprotect on the benchmark VM of
    // docs/performance.md; ~20 of them while the rules were read beside the loading, perf tlb:tlb_flush).
    if (options_.spec.empty()) ready_to_collect();
    reading_rules = std::async(std::launch::async, [this, creator = current_cpu()] {
      leave_cpu(creator);
      return &rules();
    });
  } else {
    rules();
  }
  engine::Collection& collected = collection();
  const RuleSet& rule_set = reading_rules.valid() ? *reading_rules.get() : rules();
  RunReport report;
  report.tool_version = config::kVersion;
  report.generated_at = utc_now();
  if (!options_.spec.empty()) {
    report.host.root = options_.spec;
    report.host.source = "spec";
    const Json* name = collected.facts.find("spec.name");
    report.host.hostname = name != nullptr && name->is_string() ? name->get<std::string>() : "";
  } else {
    report.host.root = options_.snapshot.empty() ? options_.root : options_.snapshot;
    report.host.source = !options_.snapshot.empty() ? "snapshot" : host().live() ? "live" : "root";
    report.host.hostname = hostname();
    report.host.kernel = first_line(host().read_file("/proc/sys/kernel/osrelease", 4096));
  }
  report.plugins = collected.runs;
  report.results = rule_set.evaluate(collected.facts);
  if (options_.spec.empty()) {
    report.plugin_problems = needed_plugin_problems(absent_, plugins(), collected.runs, rule_set.fact_namespaces());
  }
  report.diagnostics = diagnostics_;
  report.diagnostics.insert(report.diagnostics.end(), collected.diagnostics.begin(), collected.diagnostics.end());
  report.fact_tree = collected.facts.shared_tree();
  report.provenance = collected.facts.provenance();
  report.unknown_reasons = collected.facts.unknown_reasons();
  report.summary = summarize(report.results);
  report.verdict = compute_verdict(report.results, report.plugin_problems);
  // A host (not a parts list) may carry the journal of a `fix --apply` whose changes wait for a reboot.
  if (options_.spec.empty()) report.pending = fix::pending_apply(collected.facts, host());
  return report;
}

}  // namespace ptdoctor::cli
