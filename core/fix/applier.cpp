#include "fix/applier.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include "atomic_file.hpp"
#include "fix/journal.hpp"
#include "fix/root_files.hpp"
#include "fix/sha256.hpp"

namespace ptdoctor::fix {

namespace {

// Whether applying can change anything: a file that differs from the plan, or a command this run may execute.
bool changes_host(const Plan& plan, bool run_commands) {
  return std::any_of(plan.steps.begin(), plan.steps.end(), [run_commands](const PlanStep& step) {
    return step.file ? step.file->changes() : step.kind == "command" && run_commands;
  });
}

void count_done(const PlanStep& step, const Journal* journal, ApplyOutcome& outcome) {
  if (step.file) {
    ++outcome.files_changed;
  } else if (step.kind == "command") {
    const bool ran = journal != nullptr && !journal->commands().empty() &&
                     journal->commands().back().value("outcome", "") == kCommandOk;
    ++(ran ? outcome.commands_run : outcome.commands_not_run);
  } else if (step.kind == "manual") {
    ++outcome.manual_steps;
  }
}

}  // namespace

Result<ApplyOutcome> apply_plan(const Plan& plan, const HostView& host, const ApplyOptions& options) {
  ApplyOutcome outcome;
  // No journal when nothing can change: the steps still run, to say which files are already right and what is left
  // to the user, but none of them writes.
  std::optional<Journal> journal;
  if (changes_host(plan, options.run_commands)) {
    auto created = Journal::create(host);
    if (!created) return created.error();
    journal = std::move(*created);
    outcome.journal_id = journal->id();
    if (auto saved = journal->save_plan(plan_to_json(plan)); !saved) return saved.error();
  }
  ApplyContext context;
  context.host = &host;
  context.journal = journal ? &*journal : nullptr;
  context.run_commands = options.run_commands;
  context.confirm = options.confirm;
  context.log = options.log;
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    const PlanStep& step = plan.steps[i];
    Status done = Ok{};
    if (!step.action) {
      done = make_error(ErrorKind::kInvalidInput, "step " + step.id + " has no action");
    } else if (step.file && !step.file->changes()) {
      if (options.log) options.log("unchanged: " + step.file->path);
      ++outcome.files_unchanged;
    } else {
      done = step.action->apply(step, context);
      if (done) count_done(step, context.journal, outcome);
    }
    if (done && options.after_step) done = options.after_step(i);
    if (!done) {
      std::string failed = "step " + std::to_string(i + 1) + " (" + step.id + ") failed: " + done.error().message;
      if (journal && journal->changed_anything()) {
        return make_error(done.error().kind, failed + ". The steps before it were applied; `ptdoctor rollback " +
                                                 outcome.journal_id + "` undoes them");
      }
      if (journal) (void)journal->discard();
      return make_error(done.error().kind, failed + ". Nothing was changed");
    }
  }
  // Every command declined or only listed: nothing changed after all, so no journal for rollback to pick.
  if (journal && !journal->changed_anything()) {
    if (auto discarded = journal->discard(); !discarded) return discarded.error();
    outcome.journal_id.clear();
  }
  return outcome;
}

Result<std::string> latest_journal(const HostView& host) {
  auto ids = Journal::list(host);
  if (!ids) return ids.error();
  for (auto it = ids->rbegin(); it != ids->rend(); ++it) {
    auto journal = Journal::open(host, *it);
    // A journal that changed nothing (older versions wrote one for a no-op apply) has nothing to undo.
    if (journal && !journal->rolled_back() && journal->changed_anything()) return *it;
  }
  return make_error(ErrorKind::kNotFound, "no journal to roll back under " + host.root() + kJournalDir);
}

Result<RollbackOutcome> rollback_journal(const HostView& host, const std::string& id) {
  auto journal = Journal::open(host, id);
  if (!journal) return journal.error();
  if (journal->rolled_back()) {
    return make_error(ErrorKind::kInvalidInput, "journal " + id + " was already rolled back");
  }
  // First pass: decide for every file, refusing the whole rollback when one changed after the apply.
  enum class Todo { kNothing, kRestore, kRemove };
  std::vector<Todo> todo;
  std::string conflicts;
  for (const JournalEntry& entry : journal->entries()) {
    auto state = read_state(host, entry.path);
    if (!state) return state.error();
    std::string current = *state ? sha256_hex((*state)->bytes) : "";
    bool as_before = entry.existed ? (*state && current == entry.before_sha256) : !*state;
    if (as_before && (!*state || (*state)->mode == entry.mode || !entry.existed)) {
      todo.push_back(Todo::kNothing);
    } else if (*state && current == entry.after_sha256) {
      todo.push_back(entry.existed ? Todo::kRestore : Todo::kRemove);
    } else if (as_before) {
      todo.push_back(Todo::kRestore);  // same bytes, other mode
    } else {
      todo.push_back(Todo::kNothing);
      conflicts += "\n  " + host.root() + entry.path + (*state ? " was changed after the apply" : " was removed after the apply");
    }
  }
  if (!conflicts.empty()) {
    return make_error(ErrorKind::kInvalidInput,
                      "rollback of " + id + " refused, nothing changed:" + conflicts +
                          "\nThe originals are in " + host.root() + kJournalDir + "/" + id +
                          "/files (see journal.json there): merge them by hand");
  }
  RollbackOutcome outcome;
  const auto& entries = journal->entries();
  for (std::size_t k = entries.size(); k-- > 0;) {
    const JournalEntry& entry = entries[k];
    auto real = existing_write_path(host, entry.path);
    if (todo[k] == Todo::kRemove) {
      if (!real) return real.error();
      if (::unlink(real->c_str()) != 0 && errno != ENOENT) {
        return make_error(ErrorKind::kIo, *real + ": cannot remove: " + std::strerror(errno));
      }
      outcome.removed.push_back(entry.path);
    } else if (todo[k] == Todo::kRestore) {
      if (!real) return real.error();
      // A backup that is missing or damaged leaves this one file as the apply made it (never garbage in its
      // place); the others are still restored, and the journal stays open so that a retry finishes it.
      auto original = journal->original(entry);
      if (!original) {
        outcome.not_restored.push_back(original.error().message);
        continue;
      }
      if (auto written = write_file_atomically(*real, *original, entry.mode); !written) return written.error();
      if (::geteuid() == 0) (void)::lchown(real->c_str(), entry.uid, static_cast<gid_t>(-1));
      outcome.restored.push_back(entry.path);
    } else {
      outcome.already.push_back(entry.path);
    }
    // Directories made for a new file go again when they are empty (rmdir refuses otherwise: that is the test).
    for (auto dir = entry.created_dirs.rbegin(); dir != entry.created_dirs.rend(); ++dir) {
      auto real_dir = existing_write_path(host, *dir);
      if (real_dir) (void)::rmdir(real_dir->c_str());
    }
  }
  if (!outcome.not_restored.empty()) return outcome;
  if (auto marked = journal->mark_rolled_back(); !marked) return marked.error();
  return outcome;
}

}  // namespace ptdoctor::fix
