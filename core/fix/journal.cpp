#include "utc_time.hpp"
#include "fix/journal.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "atomic_file.hpp"
#include "fix/root_files.hpp"
#include "fix/sha256.hpp"

namespace ptdoctor::fix {
namespace {


bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
}

Json entry_to_json(const JournalEntry& e) {
  return {{"path", e.path},     {"existed", e.existed},           {"mode", e.mode},
          {"uid", e.uid},       {"before_sha256", e.before_sha256}, {"after_sha256", e.after_sha256},
          {"backup", e.backup}, {"created_dirs", e.created_dirs},   {"applied", e.applied}};
}

}  // namespace

Result<Journal> Journal::create(const HostView& host) {
  std::string base = utc_now("%Y%m%dT%H%M%SZ");
  for (int n = 0; n < 1000; ++n) {
    std::string id = n == 0 ? base : base + "-" + std::to_string(n + 1);
    std::string dir = std::string(kJournalDir) + "/" + id;
    if (host.exists(dir)) continue;
    auto marker = prepare_write_path(host, dir + "/files/.keep", nullptr);
    if (!marker) return marker.error();
    Journal journal(host, id);
    if (auto saved = journal.save(); !saved) return saved.error();
    return journal;
  }
  return make_error(ErrorKind::kIo, "cannot pick a new journal id under " + host.root() + kJournalDir);
}

Result<std::vector<std::string>> Journal::list(const HostView& host) {
  if (!host.exists(kJournalDir)) return std::vector<std::string>{};
  auto names = host.list_dir(kJournalDir);
  if (!names) return names.error();
  std::vector<std::string> ids;
  for (const std::string& name : *names) {
    if (valid_id(name) && host.exists(std::string(kJournalDir) + "/" + name + "/journal.json")) ids.push_back(name);
  }
  std::sort(ids.begin(), ids.end());  // ids start with the UTC time, so this is oldest first
  return ids;
}

Result<Journal> Journal::open(const HostView& host, const std::string& id) {
  if (!valid_id(id)) return make_error(ErrorKind::kInvalidInput, "\"" + id + "\" is not a journal id");
  std::string file = std::string(kJournalDir) + "/" + id + "/journal.json";
  auto text = host.read_file(file);
  if (!text) {
    return make_error(text.error().kind, "no journal " + id + " (" + text.error().message +
                                             "); `ptdoctor rollback --list` shows the journals");
  }
  try {
    Json doc = Json::parse(*text);
    Journal journal(host, id);
    journal.rolled_back_ = doc.value("rolled_back", false);
    journal.commands_ = doc.value("commands", Json::array());
    for (const Json& e : doc.at("entries")) {
      JournalEntry entry;
      entry.path = e.at("path").get<std::string>();
      if (auto ok = check_host_path(entry.path); !ok) throw std::runtime_error(ok.error().message);
      entry.existed = e.at("existed").get<bool>();
      entry.mode = e.at("mode").get<unsigned>() & 07777;
      entry.uid = e.value("uid", 0u);
      entry.before_sha256 = e.at("before_sha256").get<std::string>();
      entry.after_sha256 = e.at("after_sha256").get<std::string>();
      entry.backup = e.at("backup").get<std::string>();
      if (!entry.backup.empty() && !valid_id(entry.backup)) throw std::runtime_error("bad backup name");
      entry.created_dirs = e.at("created_dirs").get<std::vector<std::string>>();
      for (const auto& dir : entry.created_dirs) {
        if (auto ok = check_host_path(dir); !ok) throw std::runtime_error(ok.error().message);
      }
      entry.applied = e.at("applied").get<bool>();
      journal.entries_.push_back(std::move(entry));
    }
    return journal;
  } catch (const std::exception& e) {
    return make_error(ErrorKind::kInvalidInput, host.root() + file + ": not a ptdoctor journal (" + e.what() +
                                                    "); restore the files by hand from files/ next to it");
  }
}

Status Journal::save() const {
  Json entries = Json::array();
  for (const JournalEntry& e : entries_) entries.push_back(entry_to_json(e));
  Json doc = {{"format", 1}, {"id", id_}, {"entries", entries}, {"commands", commands_}, {"rolled_back", rolled_back_}};
  auto real = existing_write_path(*host_, dir() + "/journal.json");
  if (!real) return real.error();
  return write_file_atomically(*real, doc.dump(2) + "\n", 0600);
}

Status Journal::record_before(const std::string& path, const std::optional<std::string>& original, unsigned mode,
                              unsigned uid, const std::string& after_sha256,
                              const std::vector<std::string>& created_dirs) {
  JournalEntry entry;
  entry.path = path;
  entry.existed = original.has_value();
  entry.mode = mode;
  entry.uid = uid;
  entry.after_sha256 = after_sha256;
  entry.created_dirs = created_dirs;
  if (original) {
    entry.backup = std::to_string(entries_.size());
    auto real = existing_write_path(*host_, dir() + "/files/" + entry.backup);
    if (!real) return real.error();
    if (auto written = write_file_atomically(*real, *original, 0600); !written) return written.error();
  }
  entry.before_sha256 = original ? sha256_hex(*original) : "";
  entries_.push_back(std::move(entry));
  return save();
}

Status Journal::mark_applied(const std::string& path) {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->path == path) {
      it->applied = true;
      return save();
    }
  }
  return make_error(ErrorKind::kIo, "journal " + id_ + " has no entry for " + path);
}

Status Journal::record_command(const std::vector<std::string>& argv, const std::string& outcome,
                               const std::vector<std::string>& undo) {
  Json entry = {{"argv", argv}, {"outcome", outcome}};
  if (!undo.empty()) entry["undo"] = undo;
  commands_.push_back(std::move(entry));
  return save();
}

bool command_may_have_changed(const Json& command) {
  const std::string outcome = command.value("outcome", "");
  return outcome != kCommandListed && outcome != kCommandDeclined;
}

Status Journal::begin_command(const std::vector<std::string>& argv, const std::vector<std::string>& undo) {
  return record_command(argv, std::string(kCommandStarted), undo);
}

Status Journal::finish_command(const std::string& outcome) {
  if (commands_.empty() || commands_.back().value("outcome", "") != kCommandStarted) {
    return make_error(ErrorKind::kInvalidInput, "journal " + id_ + " has no command running");
  }
  commands_.back()["outcome"] = outcome;
  return save();
}

bool Journal::changed_anything() const {
  if (!entries_.empty()) return true;
  return std::any_of(commands_.begin(), commands_.end(),
                     [](const Json& command) { return command_may_have_changed(command); });
}

Status Journal::discard() const {
  if (changed_anything()) return make_error(ErrorKind::kInvalidInput, "journal " + id_ + " records changes: kept");
  for (const std::string& file : {dir() + "/journal.json", dir() + "/plan.json", dir() + "/files/.keep"}) {
    auto real = existing_write_path(*host_, file);
    if (!real) return real.error();
    if (::unlink(real->c_str()) != 0 && errno != ENOENT) {
      return make_error(ErrorKind::kIo, *real + ": cannot remove: " + std::strerror(errno));
    }
  }
  for (const std::string& directory : {dir() + "/files", dir()}) {
    auto real = existing_write_path(*host_, directory);
    if (!real) return real.error();
    if (::rmdir(real->c_str()) != 0 && errno != ENOENT) {
      return make_error(ErrorKind::kIo, *real + ": cannot remove: " + std::strerror(errno));
    }
  }
  return Ok{};
}

Status Journal::mark_rolled_back() {
  rolled_back_ = true;
  return save();
}

Status Journal::save_plan(const Json& plan) const {
  auto real = existing_write_path(*host_, dir() + "/plan.json");
  if (!real) return real.error();
  return write_file_atomically(*real, plan.dump(2) + "\n", 0600);
}

Result<Json> Journal::plan() const {
  auto text = host_->read_file(dir() + "/plan.json");
  if (!text) return text.error();
  Json doc = Json::parse(*text, nullptr, false);
  if (doc.is_discarded()) return make_error(ErrorKind::kInvalidInput, host_->root() + dir() + "/plan.json: not JSON");
  return doc;
}

Result<std::string> Journal::original(const JournalEntry& entry) const {
  if (!entry.existed) return make_error(ErrorKind::kNotFound, entry.path + " did not exist before");
  const std::string backup = host_->root() + dir() + "/files/" + entry.backup;
  auto bytes = host_->read_file(dir() + "/files/" + entry.backup);
  if (!bytes) {
    return make_error(bytes.error().kind,
                      entry.path + ": its backup " + backup + " cannot be read (" + bytes.error().message + ")");
  }
  // The backup is the only copy of the original: restoring a damaged one would replace the file with garbage and
  // call it rolled back. The journal recorded the original's checksum before the apply wrote anything.
  if (const std::string sha = sha256_hex(*bytes); sha != entry.before_sha256) {
    return make_error(ErrorKind::kInvalidInput, entry.path + ": its backup " + backup +
                                                    " does not match the checksum the journal recorded (sha256 " +
                                                    entry.before_sha256.substr(0, 12) + ", the backup has " +
                                                    sha.substr(0, 12) + ")");
  }
  return bytes;
}

}  // namespace ptdoctor::fix
