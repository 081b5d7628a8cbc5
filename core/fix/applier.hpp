#pragma once
// Applies a plan step by step through one journal, stopping at the first failure: every file is then either as it
// was or as the plan says (each write is atomic), and the journal lists exactly what changed, for rollback.
#include <functional>
#include <string>
#include <vector>

#include "fix/actions.hpp"
#include "fix/plan.hpp"
#include "ptdoctor/host_view.hpp"
#include "ptdoctor/result.hpp"

namespace ptdoctor::fix {

struct ApplyOptions {
  bool run_commands = false;  // the caller sets this only for the live host
  std::function<bool(const std::vector<std::string>&)> confirm;
  std::function<void(const std::string&)> log;
  // Test hook: called after each step that was carried out; an error stops the apply there, as a crash would.
  std::function<Status(std::size_t step_index)> after_step;
};

// What an apply did, counted by what the user cares about: the summary line says these, never "steps".
struct ApplyOutcome {
  std::string journal_id;          // empty when nothing was changed (no journal is kept)
  std::size_t files_changed = 0;    // created or edited
  std::size_t files_unchanged = 0;  // already as the plan says
  std::size_t commands_run = 0;
  std::size_t commands_not_run = 0;  // left to the user: listed (not the live host) or declined
  std::size_t manual_steps = 0;      // left to the user: things only a person can do (reboot, firmware setup)
};

// A journal is kept only when something changed: a no-op apply (every file as planned, commands only listed or
// declined) leaves no trace. Error: what failed, which step, and either that `ptdoctor rollback <id>` undoes the
// steps done before it or that nothing was changed.
Result<ApplyOutcome> apply_plan(const Plan& plan, const HostView& host, const ApplyOptions& options);

struct RollbackOutcome {
  std::vector<std::string> restored;  // put back to the original bytes and mode
  std::vector<std::string> removed;   // did not exist before
  std::vector<std::string> already;   // already as before
  // One message per file left as the apply made it because its backup is missing or does not match the checksum
  // the journal recorded; each names the file and the backup. The journal is then not marked rolled back.
  std::vector<std::string> not_restored;
};

// Restores every file of the journal. Refuses (changing nothing) when a file was changed after the apply, naming it.
// A file whose backup cannot be trusted is not restored (see RollbackOutcome::not_restored); the others are.
Result<RollbackOutcome> rollback_journal(const HostView& host, const std::string& id);
// The newest journal that changed something and was not rolled back yet; kNotFound when there is none.
Result<std::string> latest_journal(const HostView& host);

}  // namespace ptdoctor::fix
