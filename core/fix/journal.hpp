#pragma once
// The journal of one apply, under <root>/var/lib/ptdoctor/journal/<id>/: journal.json (per file: whether it
// existed, its mode, checksums before and after, the directories created for it, and whether the write happened)
// and files/<n> with the original bytes. Written before each file is replaced, so a crash at any point leaves a
// journal that rollback can finish from.
#include <optional>
#include <string>
#include <vector>

#include "ptdoctor/host_view.hpp"
#include "ptdoctor/json.hpp"
#include "ptdoctor/result.hpp"

namespace ptdoctor::fix {

inline constexpr const char* kJournalDir = "/var/lib/ptdoctor/journal";

// A journaled command's outcome: these four, or the error text of a command that failed.
inline constexpr const char* kCommandOk = "ok";
inline constexpr const char* kCommandStarted = "started";  // ptdoctor stopped before the command ended
inline constexpr const char* kCommandListed = "listed, not run";
inline constexpr const char* kCommandDeclined = "declined";

// True unless the command never ran (only listed, or declined): a command that failed or never reported back may
// have changed the host half way, as much as one that ended well.
bool command_may_have_changed(const Json& command);

struct JournalEntry {
  std::string path;
  bool existed = false;
  unsigned mode = 0;
  unsigned uid = 0;
  std::string before_sha256;
  std::string after_sha256;
  std::string backup;  // file name under files/, when it existed
  std::vector<std::string> created_dirs;
  bool applied = false;  // false: the journal was written but the file may not have been replaced yet
};

class Journal {
 public:
  // A new journal with a fresh id (UTC time, unique within the directory).
  static Result<Journal> create(const HostView& host);
  static Result<Journal> open(const HostView& host, const std::string& id);
  // Ids of existing journals, oldest first.
  static Result<std::vector<std::string>> list(const HostView& host);

  const std::string& id() const { return id_; }
  const std::vector<JournalEntry>& entries() const { return entries_; }
  bool rolled_back() const { return rolled_back_; }
  const Json& commands() const { return commands_; }
  // True when the apply may have changed the host: a file was (or was about to be) replaced, or a command ran.
  // Commands only listed (not the live host) or declined changed nothing.
  bool changed_anything() const;

  // Saves the original (or that there was none) before a file is replaced.
  Status record_before(const std::string& path, const std::optional<std::string>& original, unsigned mode,
                       unsigned uid, const std::string& after_sha256, const std::vector<std::string>& created_dirs);
  Status mark_applied(const std::string& path);
  // undo: the command's inverse (empty when it has none), for rollback to name.
  Status record_command(const std::vector<std::string>& argv, const std::string& outcome,
                        const std::vector<std::string>& undo = {});
  // A command about to run is saved as "started" first and given its outcome when it ends, so a ptdoctor killed
  // half way (Ctrl-C during update-initramfs) leaves a journal that says the command may have half-run.
  Status begin_command(const std::vector<std::string>& argv, const std::vector<std::string>& undo = {});
  Status finish_command(const std::string& outcome);
  Status mark_rolled_back();
  // Removes the journal of an apply that changed nothing (changed_anything() is false; refused otherwise), so that
  // a no-op apply leaves no trace for rollback to pick.
  Status discard() const;
  // The plan being applied (plan.json next to journal.json), for `ptdoctor verify`.
  Status save_plan(const Json& plan) const;
  Result<Json> plan() const;
  // The original bytes of an entry that existed.
  Result<std::string> original(const JournalEntry& entry) const;

 private:
  Journal(const HostView& host, std::string id) : host_(&host), id_(std::move(id)) {}
  Status save() const;
  std::string dir() const { return std::string(kJournalDir) + "/" + id_; }

  const HostView* host_;
  std::string id_;
  std::vector<JournalEntry> entries_;
  Json commands_ = Json::array();
  bool rolled_back_ = false;
};

}  // namespace ptdoctor::fix
