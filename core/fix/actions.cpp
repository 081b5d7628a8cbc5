#include "fix/actions.hpp"

#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <chrono>
#include <cstring>

#include "atomic_file.hpp"
#include "fix/journal.hpp"
#include "fix/root_files.hpp"
#include "fix/sha256.hpp"
#include "fix/unified_diff.hpp"
#include "host/command_runner.hpp"

namespace ptdoctor::fix {
namespace {

std::string trim(std::string_view text) {
  std::size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return "";
  std::size_t end = text.find_last_not_of(" \t\r");
  return std::string(text.substr(begin, end - begin + 1));
}

std::string shell_quote_for_display(const std::string& arg) {
  if (!arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:/=,")
                          == std::string::npos) {
    return arg;
  }
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void say(ApplyContext& context, const std::string& line) {
  if (context.log) context.log(line);
}

}  // namespace

bool FileChange::changes() const { return !existed || before_sha256 != sha256_hex(after); }

Result<std::optional<std::string>> read_current(const HostView& host, const std::string& path) {
  auto state = read_state(host, path);
  if (!state) return state.error();
  if (!*state) return std::optional<std::string>{};
  return std::optional<std::string>{(*state)->bytes};
}

Result<PlanStep> FileAction::plan(const HostView& host) const {
  auto state = read_state(host, path_);
  if (!state) return state.error();
  PlanStep step;
  step.kind = kind();
  step.title = describe();
  FileChange change;
  change.path = path_;
  change.mode = mode_;
  std::optional<std::string> current;
  if (*state) {
    change.existed = true;
    change.before = (*state)->bytes;
    change.before_sha256 = sha256_hex((*state)->bytes);
    change.mode = (*state)->mode;
    current = (*state)->bytes;
  }
  auto rendered = render(current);
  if (!rendered) return rendered.error();
  change.after = std::move(*rendered);
  step.file = std::move(change);
  return step;
}

Result<std::string> FileAction::diff(const HostView& host) const {
  auto step = plan(host);
  if (!step) return step.error();
  return unified_diff(path_, step->file->before, step->file->after);
}

Status FileAction::apply(const PlanStep& step, ApplyContext& context) const {
  const FileChange& change = *step.file;
  const HostView& host = *context.host;
  auto state = read_state(host, change.path);
  if (!state) return state.error();
  const bool exists = state->has_value();
  const std::string after_sha = sha256_hex(change.after);
  if (exists && sha256_hex((*state)->bytes) == after_sha) {
    say(context, "unchanged: " + change.path + " already holds what the plan writes");
    return Ok{};
  }
  if (exists != change.existed || (exists && sha256_hex((*state)->bytes) != change.before_sha256)) {
    return make_error(ErrorKind::kInvalidInput,
                      host.root() + change.path + (exists ? " changed" : " was removed") +
                          " since the plan was made (" + (change.existed ? "checksum " + change.before_sha256.substr(0, 12) : std::string("did not exist")) +
                          "); not overwritten. Run `ptdoctor plan` again to see the plan for the file as it is now");
  }
  std::vector<std::string> created;
  auto real = prepare_write_path(host, change.path, &created);
  if (!real) return real.error();
  std::optional<std::string> original;
  unsigned mode = change.mode, uid = 0;
  if (exists) {
    original = (*state)->bytes;
    mode = (*state)->mode;
    uid = (*state)->uid;
  }
  if (auto recorded = context.journal->record_before(change.path, original, mode, uid, after_sha, created); !recorded) {
    return recorded.error();
  }
  if (auto written = write_file_atomically(*real, change.after, exists ? std::nullopt : std::optional<unsigned>(mode));
      !written) {
    return written.error();
  }
  if (auto marked = context.journal->mark_applied(change.path); !marked) return marked.error();
  say(context, (exists ? "changed: " : "created: ") + change.path);
  return Ok{};
}

std::string ShellVariableAction::describe() const {
  std::string keys;
  std::vector<std::string> seen;
  for (const VariableEdit& edit : edits_) {
    if (std::find(seen.begin(), seen.end(), edit.key) != seen.end()) continue;
    seen.push_back(edit.key);
    keys += (keys.empty() ? "" : ", ") + edit.key;
  }
  return "edit " + keys + " in " + path_;
}

Result<std::string> ShellVariableAction::render(const std::optional<std::string>& current) const {
  std::string text = current.value_or("");
  for (const VariableEdit& edit : edits_) {
    auto edited = edit_shell_variable(text, edit.key, edit.editor, path_, edit.initial, edit.comment);
    if (!edited) return edited.error();
    text = std::move(*edited);
  }
  return text;
}

Result<std::string> LineListAction::render(const std::optional<std::string>& current) const {
  std::string text = current.value_or("");
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line = std::string_view(text).substr(start, end - start);
    std::size_t hash = line.find('#');
    if (trim(line.substr(0, hash)) == line_) return text;
    start = end + 1;
  }
  if (!text.empty() && text.back() != '\n') text += '\n';
  if (!comment_.empty()) text += comment_ + "\n";
  return text + line_ + "\n";
}

Result<std::string> KconfigFragmentAction::render(const std::optional<std::string>&) const {
  std::string text = header_;
  for (const auto& [name, value] : options_) {
    text += value == "n" ? "# " + name + " is not set\n" : name + "=" + value + "\n";
  }
  return text;
}

std::string RunCommandAction::describe() const {
  std::string out;
  for (const std::string& arg : argv_) out += (out.empty() ? "" : " ") + shell_quote_for_display(arg);
  return out;
}

Result<PlanStep> RunCommandAction::plan(const HostView&) const {
  PlanStep step;
  step.kind = kind();
  step.title = "run " + describe();
  step.argv = argv_;
  step.undo_argv = undo_argv_;
  return step;
}

Status RunCommandAction::apply(const PlanStep& step, ApplyContext& context) const {
  std::string shown = describe();
  if (!context.run_commands) {
    say(context, "not run (not the live host): " + shown);
    // Without a journal (an apply that changes no file) there is nothing to record it in, and nothing to undo.
    if (context.journal == nullptr) return Ok{};
    return context.journal->record_command(step.argv, kCommandListed, step.undo_argv);
  }
  if (context.confirm && !context.confirm(step.argv)) {
    say(context, "skipped at your request: " + shown);
    return context.journal->record_command(step.argv, kCommandDeclined, step.undo_argv);
  }
  if (auto begun = context.journal->begin_command(step.argv, step.undo_argv); !begun) return begun.error();
  say(context, "running: " + shown + " (it can take minutes)");
  host::CommandLimits limits;
  // No practical deadline: these commands (update-grub, update-initramfs -u, xl pci-assignable-add) rewrite what
  // the next boot reads, and killing one half way is worse than waiting for it. The Xen lab's dom0 (TCG, a loaded
  // 2-core machine) needed more than 10 minutes for update-initramfs; a person can still interrupt with Ctrl-C,
  // which reaches the command too (it stays in ptdoctor's process group).
  limits.timeout = std::chrono::hours(6);
  auto ran = host::run_command(step.argv, limits);
  if (auto recorded = context.journal->finish_command(ran ? kCommandOk : ran.error().message); !recorded) {
    return recorded.error();
  }
  if (!ran) return make_error(ran.error().kind, "`" + shown + "` failed: " + ran.error().message);
  return Ok{};
}

Result<PlanStep> ManualStepAction::plan(const HostView&) const {
  PlanStep step;
  step.kind = kind();
  step.title = text_;
  step.text = text_;
  return step;
}

Status ManualStepAction::apply(const PlanStep&, ApplyContext& context) const {
  say(context, "by hand: " + text_);
  return Ok{};
}

}  // namespace ptdoctor::fix
