#pragma once
// The outcome of one run, as every renderer sees it. Renderers (reports/) only format this; they read nothing.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptdoctor/json.hpp"

namespace ptdoctor {

enum class Severity { kBlocker, kWarning, kInfo };
enum class RuleStatus { kPass, kFail, kSkip, kUnknown, kError };
enum class Verdict { kReady, kWarnings, kNotReady, kUnknown };

const char* to_string(Severity severity);
const char* to_string(RuleStatus status);
const char* to_string(Verdict verdict);

// One suggested remedy. `text` is for people ("Add intel_iommu=on to GRUB_CMDLINE_LINUX in /etc/default/grub");
// `action`, when present, names a fix generator and its parameters for `ptdoctor plan` ({"generator": ..., ...}).
struct Fix {
  std::string text;
  Json action;  // null when the fix is text only
};

// The facts one result looked at: fact path -> value (null when the fact is missing), in path order. The values are
// not copies: each refers into the fact tree the rules ran on, which this keeps alive (FactStore::shared_tree), so
// a result outlives the store. Copying them was 87 M of `check` on a host of 1,024 PCI functions (pci.devices-read
// looks at the whole device list), and the report printed the copies as it prints the tree.
class ResultFacts {
 public:
  struct Entry {
    std::string path;
    const Json* value;  // never nullptr: a missing fact refers to a null
  };

  ResultFacts() = default;
  // `entries` in path order without repeats, each value nullptr (missing) or inside what `owner` keeps alive.
  ResultFacts(std::vector<Entry> entries, std::shared_ptr<const void> owner);
  // A copy of each member of a JSON object (null or empty: none), held by the result itself: for results made by
  // hand (tests, samples) rather than by the rules.
  explicit ResultFacts(const Json& object);

  std::vector<Entry>::const_iterator begin() const { return entries_.begin(); }
  std::vector<Entry>::const_iterator end() const { return entries_.end(); }
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  bool contains(std::string_view path) const;
  // The value at `path`; a null when the result did not look at it.
  const Json& operator[](std::string_view path) const;
  // Puts `value` in place of the entry's value, held by the result itself; what it referred to is left as it was
  // (redaction: the fact tree is shared, and only what it changes is copied).
  void replace(std::size_t index, Json value);
  // A JSON object of the entries, values copied.
  Json to_json() const;

 private:
  const Entry* find(std::string_view path) const;

  std::vector<Entry> entries_;
  std::vector<std::shared_ptr<const void>> owners_;  // what the values point into
};

struct RuleResult {
  std::string rule_id;
  std::string title;
  Severity severity = Severity::kInfo;
  RuleStatus status = RuleStatus::kUnknown;
  std::string subject;  // what the result is about: "" for host-wide rules, "0000:08:00.0" for a per-item rule
  std::string message;  // the rendered message for this status
  std::string why;      // why the rule matters (shown on fail/unknown)
  std::vector<Fix> fixes;
  std::vector<std::string> refs;
  ResultFacts facts;            // fact path -> value the rule looked at (null when missing)
  std::string source;           // "rules/xen-secondary-gpu.yaml:12"
  // The rule this one follows from (`follows:` in the rule), "" for none.
  std::string follows;
  // When this result is a problem and the rule it follows from did not pass: the root cause's rule id (the end of
  // the follows chain that itself follows from nothing that failed). Reports fold the result under that cause.
  std::string caused_by;
};

// A result the reader must look at: failed, unknown or a rule error.
inline bool is_problem(const RuleResult& result) {
  return result.status == RuleStatus::kFail || result.status == RuleStatus::kUnknown ||
         result.status == RuleStatus::kError;
}

struct PluginRun {
  std::string name;
  std::string version;
  std::string path;
  bool ok = true;
  std::string error;  // what went wrong when !ok
  double milliseconds = 0;
};

// A plugin whose facts the loaded rules read but this run does not have. The rules that need its facts say
// unknown (its namespace is marked unknown with `reason`), every report names it under the verdict, and the
// verdict cannot be READY while one is listed: a broken install must never read as "ready".
enum class PluginProblemKind {
  kMissing,  // no plugin file provides it
  kRefused,  // its file was refused by the loader (ABI, load error, unsafe owner or mode)
  kFailed,   // it was loaded but threw while collecting
};
const char* to_string(PluginProblemKind kind);

struct PluginProblem {
  std::string name;  // "pci"
  PluginProblemKind kind = PluginProblemKind::kMissing;
  std::string reason;  // "no ptdoctor-pci.so in /usr/lib/ptdoctor/plugins"
};

struct Diagnostic {
  std::string level;   // "error" | "warning" | "info"
  std::string origin;  // plugin name, "rules", "core"
  std::string message;
};

struct Summary {
  int pass = 0, fail = 0, skip = 0, unknown = 0, error = 0;
  int blockers_failed = 0, warnings_failed = 0;
};

struct HostInfo {
  std::string root;      // as given to --root, or "/"
  std::string source;    // "live" | "root" | "snapshot" | "spec"
  std::string hostname;  // as read from the host view, may be redacted
  std::string kernel;    // release, when known
};

// The last `fix --apply` on the host, when what it configured is not yet in effect (no reboot since it): `check`
// says so with its verdict, in the words `verify` uses for each step.
struct PendingApply {
  std::string journal_id;                  // the apply, e.g. 20261202T130941Z
  std::vector<std::string> not_in_effect;  // verify's message for each step that has not taken effect
};

struct RunReport {
  std::string tool_version;
  std::string generated_at;  // ISO 8601 UTC
  HostInfo host;
  std::vector<PluginRun> plugins;
  std::vector<PluginProblem> plugin_problems;
  std::vector<RuleResult> results;
  std::vector<Diagnostic> diagnostics;
  // The fact tree the rules saw, shared with the fact store and the results' evidence rather than copied (the copy
  // was 25.5 M of 662.5 M instructions of a `check` on 1,024 functions; docs/performance.md, seventh round). Read it
  // with facts(); change it with edit_facts() or set_facts(), never through the pointer: edit_facts() copies a tree
  // that anyone else holds first, so the store, the results and other copies of the report keep what they saw.
  // Every tree here is made as a non-const Json (set_facts, FactStore::shared_tree), which edit_facts() relies on.
  std::shared_ptr<const Json> fact_tree = std::make_shared<Json>(Json::object());
  const Json& facts() const { return *fact_tree; }
  Json& edit_facts();
  void set_facts(Json facts) { fact_tree = std::make_shared<Json>(std::move(facts)); }
  std::map<std::string, std::string> provenance;
  std::map<std::string, std::string> unknown_reasons;
  Summary summary;
  Verdict verdict = Verdict::kUnknown;
  std::optional<PendingApply> pending;  // set by `check` on a host; renderers add it to the verdict
};

// blocker fail -> not ready; else blocker unknown/error -> unknown; else warning fail -> warnings; else ready.
Verdict compute_verdict(const std::vector<RuleResult>& results);
// As above, but a plugin problem turns ready or warnings into unknown (cannot judge): what the absent facts would
// have shown is not known. A blocker that failed on the facts that were collected still makes it not ready.
Verdict compute_verdict(const std::vector<RuleResult>& results, const std::vector<PluginProblem>& plugin_problems);
Summary summarize(const std::vector<RuleResult>& results);
// Documented exit codes: 0 ready, 1 warnings, 2 not ready, 3 cannot judge.
int exit_code_for(Verdict verdict);

inline constexpr int kExitUsage = 64;
inline constexpr int kExitInternal = 70;

}  // namespace ptdoctor
