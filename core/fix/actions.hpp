#pragma once
// The closed set of things a plan can do. Each action describes itself, shows its diff against the current root
// and applies itself. File actions only compute the new bytes from the current ones; writing and the journal are
// shared (FileAction::apply), so every file kind is atomic and reversible the same way: by rollback, from the
// journal (fix/applier.hpp).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "fix/plan.hpp"
#include "fix/shell_variable.hpp"
#include "ptdoctor/host_view.hpp"
#include "ptdoctor/result.hpp"

namespace ptdoctor::fix {

class Journal;

// What apply() may use: where to write, the journal, and the user's consent for commands.
struct ApplyContext {
  const HostView* host = nullptr;
  Journal* journal = nullptr;  // null when the apply changes no file and runs no command (nothing to record)
  bool run_commands = false;  // only on the live host: under --root commands are listed, never run
  // Asked before each command unless --yes: true to run it.
  std::function<bool(const std::vector<std::string>& argv)> confirm;
  // What happened, one line at a time, for the user.
  std::function<void(const std::string& line)> log;
};

class Action {
 public:
  virtual ~Action() = default;
  virtual std::string kind() const = 0;
  // One line: what the action does ("set GRUB_CMDLINE_XEN_DEFAULT in /etc/default/grub").
  virtual std::string describe() const = 0;
  // The change against the current root: a unified diff for files, the command line, or the manual text.
  virtual Result<std::string> diff(const HostView& host) const = 0;
  // Fills a plan step for the current root (file steps: before/after bytes and checksum).
  virtual Result<PlanStep> plan(const HostView& host) const = 0;
  // There is no undo here: rollback works from the journal alone (fix/applier.hpp), which checks each backup
  // against its recorded checksum and outlives this process; a command's inverse is kept in the journal for
  // rollback to name.
  virtual Status apply(const PlanStep& step, ApplyContext& context) const = 0;
};

// Base of the four file kinds: subclasses turn the current contents (nullopt: no file) into the new contents.
class FileAction : public Action {
 public:
  FileAction(std::string path, unsigned mode) : path_(std::move(path)), mode_(mode) {}
  virtual Result<std::string> render(const std::optional<std::string>& current) const = 0;
  const std::string& path() const { return path_; }
  Result<std::string> diff(const HostView& host) const override;
  Result<PlanStep> plan(const HostView& host) const override;
  Status apply(const PlanStep& step, ApplyContext& context) const override;

 protected:
  std::string path_;
  unsigned mode_;
};

// Writes a whole file. Used for new files (/etc/xen/<name>.cfg, modprobe.d snippets) and for plans loaded from JSON.
class WriteFileAction final : public FileAction {
 public:
  WriteFileAction(std::string path, std::string contents, unsigned mode = 0644)
      : FileAction(std::move(path), mode), contents_(std::move(contents)) {}
  std::string kind() const override { return "write-file"; }
  std::string describe() const override { return "write " + path_; }
  Result<std::string> render(const std::optional<std::string>&) const override { return contents_; }

 private:
  std::string contents_;
};

// One variable edit inside a ShellVariableAction.
struct VariableEdit {
  std::string key;
  WordEditor editor;
  std::string initial;  // the value of a line that does not exist yet, before the editor runs
  std::string comment;  // the comment line written above a new line
};

// Edits the words of KEY="..." variables of one file (shell_variable.hpp), creating lines that are absent. All edits
// of one file are one step, so the plan shows one diff per file and the journal one original.
class ShellVariableAction final : public FileAction {
 public:
  ShellVariableAction(std::string path, std::vector<VariableEdit> edits)
      : FileAction(std::move(path), 0644), edits_(std::move(edits)) {}
  std::string kind() const override { return "shell-variable"; }
  std::string describe() const override;
  Result<std::string> render(const std::optional<std::string>& current) const override;

 private:
  std::vector<VariableEdit> edits_;
};

// Ensures a line is present in a one-entry-per-line file (/etc/modules, /etc/initramfs-tools/modules). Lines are
// compared with surrounding blanks and trailing comments ignored.
class LineListAction final : public FileAction {
 public:
  LineListAction(std::string path, std::string line, std::string comment)
      : FileAction(std::move(path), 0644), line_(std::move(line)), comment_(std::move(comment)) {}
  std::string kind() const override { return "line-list"; }
  std::string describe() const override { return "add \"" + line_ + "\" to " + path_; }
  Result<std::string> render(const std::optional<std::string>& current) const override;

 private:
  std::string line_;
  std::string comment_;
};

// A kernel config fragment as scripts/kconfig/merge_config.sh reads it: CONFIG_X=value lines and comments.
class KconfigFragmentAction final : public FileAction {
 public:
  KconfigFragmentAction(std::string path, std::vector<std::pair<std::string, std::string>> options,
                        std::string header)
      : FileAction(std::move(path), 0644), options_(std::move(options)), header_(std::move(header)) {}
  std::string kind() const override { return "kconfig-fragment"; }
  std::string describe() const override { return "write the kernel config fragment " + path_; }
  Result<std::string> render(const std::optional<std::string>& current) const override;

 private:
  std::vector<std::pair<std::string, std::string>> options_;
  std::string header_;
};

// Runs a program (argv, never a shell) on the live host, after asking unless --yes. undo_argv, when the command has
// an inverse (`xl pci-assignable-add BDF` -> `xl pci-assignable-remove -r BDF`), is recorded in the plan and the
// journal so that rollback can name it.
class RunCommandAction final : public Action {
 public:
  explicit RunCommandAction(std::vector<std::string> argv, std::vector<std::string> undo_argv = {})
      : argv_(std::move(argv)), undo_argv_(std::move(undo_argv)) {}
  std::string kind() const override { return "command"; }
  std::string describe() const override;
  Result<std::string> diff(const HostView&) const override { return "$ " + describe() + "\n"; }
  Result<PlanStep> plan(const HostView& host) const override;
  Status apply(const PlanStep& step, ApplyContext& context) const override;

 private:
  std::vector<std::string> argv_;
  std::vector<std::string> undo_argv_;
};

// Something only a person can do (firmware setup, reboot): text only, never "applied".
class ManualStepAction final : public Action {
 public:
  explicit ManualStepAction(std::string text) : text_(std::move(text)) {}
  std::string kind() const override { return "manual"; }
  std::string describe() const override { return text_; }
  Result<std::string> diff(const HostView&) const override { return std::string(); }
  Result<PlanStep> plan(const HostView& host) const override;
  Status apply(const PlanStep& step, ApplyContext& context) const override;

 private:
  std::string text_;
};

// Reads a host file for planning: nullopt when it does not exist, an error when it exists but cannot be read.
Result<std::optional<std::string>> read_current(const HostView& host, const std::string& path);

}  // namespace ptdoctor::fix
