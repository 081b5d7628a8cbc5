#pragma once
// A plan: the ordered steps that would make this host ready, each saying what it does, why, and (for files) the
// exact bytes before and after, so `fix --apply` can refuse a file that changed since the plan was made.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ptdoctor/json.hpp"
#include "ptdoctor/result.hpp"

namespace ptdoctor::fix {

class Action;

// What one file step changes: the file as the plan saw it (its checksum; the bytes too when the plan was made in this
// run) and the bytes it will hold.
struct FileChange {
  std::string path;  // absolute host path, inside the root
  bool existed = false;
  std::string before_sha256;          // of the old contents, when it existed
  std::optional<std::string> before;  // the old contents, when known
  std::string after;
  unsigned mode = 0644;  // of a new file; an edited file keeps its own
  bool changes() const;
};

struct PlanStep {
  std::string id;         // stable name: "pciback.grub", "domu.config", ...
  std::string generator;  // which generator made it (docs/fixing.md lists them)
  std::string kind;       // Action::kind(): write-file | shell-variable | line-list | kconfig-fragment | command | manual
  std::string title;      // what, in one line
  std::string why;        // why, with the fact or rule behind it
  std::vector<std::string> warnings;
  std::optional<FileChange> file;  // file kinds
  std::vector<std::string> argv;   // command
  std::vector<std::string> undo_argv;  // command: its inverse, empty when it has none
  std::string text;                // manual
  std::shared_ptr<const Action> action;
  bool changes() const { return file ? file->changes() : kind != "manual"; }
};

struct Plan {
  std::string root;
  Json choices = Json::object();
  std::vector<std::string> hide_list;  // the BDFs hidden from dom0, in plan order
  std::vector<PlanStep> steps;
  std::vector<std::string> warnings;
  std::vector<std::string> notes;  // printed, never run (LVM snapshot workflow, how to merge the fragment)
  std::vector<std::string> addressed;  // ids of failing blocker rules whose fix generator planned a change
};

// JSON form (`plan --format json`, `fix --apply --plan FILE`). File steps carry the full new contents and the
// SHA-256 of the old ones.
Json plan_to_json(const Plan& plan);
// Rebuilds a plan saved as JSON; its file steps become plain writes of the saved contents, checked against the saved
// checksums at apply time. `before` is not stored: the checksum stands for it.
Result<Plan> plan_from_json(const Json& document, const std::string& origin);

// `modprobe xen-pciback` and its inverse: planned before `xl pci-assignable-add` (plan_domu.cpp), and the only
// modprobe commands a plan file may hold (plan_from_json).
const std::vector<std::string>& load_pciback_argv();
const std::vector<std::string>& unload_pciback_argv();
std::string render_plan_text(const Plan& plan);

}  // namespace ptdoctor::fix
