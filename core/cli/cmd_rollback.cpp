#include <spdlog/spdlog.h>

#include "cli/fix_options.hpp"
#include "fix/actions.hpp"
#include "fix/applier.hpp"
#include "fix/journal.hpp"

namespace ptdoctor::cli {
namespace {

std::string command_text(const Json& argv) {
  std::vector<std::string> words;
  if (argv.is_array()) {
    for (const Json& word : argv) {
      if (word.is_string()) words.push_back(word.get<std::string>());
    }
  }
  return fix::RunCommandAction(words).describe();
}

// What rolling back this journal does, one line each, newest change first as rollback undoes them: files restored
// or removed, and for each command whether it ran and what undoes it. Commands are never run by rollback: the
// inverse of each that ran is named for the user to run.
std::vector<std::string> what_rollback_does(const fix::Journal& journal) {
  std::vector<std::string> lines;
  const auto& commands = journal.commands();
  for (auto it = commands.rbegin(); it != commands.rend(); ++it) {
    const std::string command = "`" + command_text(it->value("argv", Json::array())) + "`";
    const std::string outcome = it->value("outcome", "");
    const Json undo = it->value("undo", Json::array());
    // update-grub, update-initramfs: they regenerate from the files, so running them again undoes them.
    const std::string again = "run it again after the rollback, so that it reads the restored files";
    if (outcome == fix::kCommandListed) {
      lines.push_back(command + " was not run (not the live host): nothing to undo");
    } else if (outcome == fix::kCommandDeclined) {
      lines.push_back(command + " was declined: nothing to undo");
    } else if (outcome == fix::kCommandOk) {
      lines.push_back(command + " ran: " + (undo.empty() ? again : "undo it with `" + command_text(undo) + "`"));
    } else {
      const std::string how = outcome == fix::kCommandStarted ? " was started and never reported back (ptdoctor was "
                                                                "stopped while it ran)"
                                                              : " failed (" + outcome + ")";
      lines.push_back(command + how + ": " +
                      (undo.empty() ? again : "check by hand what it changed; its inverse is `" + command_text(undo) + "`"));
    }
  }
  const auto& entries = journal.entries();
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    lines.push_back(it->existed ? "restore " + it->path : "remove " + it->path + " (created by the apply)");
  }
  return lines;
}

// The commands the user runs after the rollback: the inverse of each command that ran, and every regenerating
// command (no inverse) that ran at all — also one that failed or was cut short, since what it left half-written
// was made from the files the rollback has just restored. A failed command with an inverse is left to the user's
// judgement (what_rollback_does says so): running its inverse could undo something it never did.
std::vector<std::string> commands_left_to_undo(const fix::Journal& journal) {
  std::vector<std::string> left;
  const auto& commands = journal.commands();
  for (auto it = commands.rbegin(); it != commands.rend(); ++it) {
    if (!fix::command_may_have_changed(*it)) continue;
    const Json undo = it->value("undo", Json::array());
    if (!undo.empty() && it->value("outcome", "") != fix::kCommandOk) continue;
    left.push_back(command_text(undo.empty() ? it->value("argv", Json::array()) : undo));
  }
  return left;
}

int list_journals(const HostView& host) {
  auto ids = fix::Journal::list(host);
  if (!ids) throw UsageError(ids.error().message);
  if (ids->empty()) std::printf("No journals under %s%s: nothing to roll back.\n", host.root().c_str(), fix::kJournalDir);
  auto latest = fix::latest_journal(host);
  for (const std::string& id : *ids) {
    auto journal = fix::Journal::open(host, id);
    if (!journal) {
      std::printf("%s  unreadable: %s\n", id.c_str(), journal.error().message.c_str());
      continue;
    }
    if (journal->rolled_back()) {
      std::printf("%s  rolled back\n", id.c_str());
      continue;
    }
    if (!journal->changed_anything()) {
      std::printf("%s  changed nothing: nothing to roll back\n", id.c_str());
      continue;
    }
    std::printf("%s%s\n", id.c_str(), latest && *latest == id ? "  (latest: `ptdoctor rollback` undoes this one)" : "");
    for (const std::string& line : what_rollback_does(*journal)) std::printf("  %s\n", line.c_str());
  }
  return 0;
}

}  // namespace

// `ptdoctor rollback [ID]`: every file of one apply back to its exact bytes and mode; new files removed.
void register_rollback(CLI::App& app, CommandContext& context) {
  struct Local {
    std::string id;
    bool yes = false;
    bool list = false;
  };
  auto local = std::make_shared<Local>();
  CLI::App* command =
      app.add_subcommand("rollback", "Undo a `fix --apply` (without an ID: the latest that changed something)");
  command->add_option("--root", context.options.root, "Work on the host tree under DIR (default /)")->type_name("DIR");
  command->add_option("id", local->id, "Journal id printed by fix --apply")->type_name("ID");
  command->add_flag("-y,--yes", local->yes, "Do not ask for confirmation");
  command->add_flag("--list", local->list, "List the journals, each with what rolling it back would do, and exit");
  command->callback([&context, local] {
    context.action = [&context, local]() -> int {
      Session session(context.options);
      const HostView& host = session.host();
      if (local->list) return list_journals(host);
      std::string id = local->id;
      if (id.empty()) {
        auto latest = fix::latest_journal(host);
        if (!latest) throw UsageError(latest.error().message);
        id = *latest;
      }
      auto journal = fix::Journal::open(host, id);
      if (!journal) throw UsageError(journal.error().message);
      std::printf("Rolling back journal %s:\n", id.c_str());
      for (const std::string& line : what_rollback_does(*journal)) std::printf("  %s\n", line.c_str());
      require_root_for_live(host, "rollback");
      if (!local->yes) {
        if (::isatty(STDIN_FILENO) != 1) {
          spdlog::error("not rolled back: there is no terminal to ask; run again with --yes");
          return kExitUsage;
        }
        if (!ask_yes_no("Roll back?")) {
          std::printf("Nothing was rolled back.\n");
          return 1;
        }
      }
      auto outcome = fix::rollback_journal(host, id);
      if (!outcome) {
        spdlog::error("{}", outcome.error().message);
        return 1;
      }
      for (const auto& path : outcome->restored) std::printf("restored: %s\n", path.c_str());
      for (const auto& path : outcome->removed) std::printf("removed: %s\n", path.c_str());
      for (const auto& path : outcome->already) std::printf("unchanged: %s\n", path.c_str());
      if (!outcome->not_restored.empty()) {
        for (const auto& why : outcome->not_restored) spdlog::error("not restored: {}", why);
        std::printf("Rolled back %s except %zu file(s), left as the apply made them: restore them by hand, then run "
                    "`ptdoctor rollback %s` again to finish.\n",
                    id.c_str(), outcome->not_restored.size(), id.c_str());
        return 1;
      }
      std::printf("Rolled back %s.\n", id.c_str());
      for (const std::string& left : commands_left_to_undo(*journal)) std::printf("Now run: %s\n", left.c_str());
      return 0;
    };
  });
}

}  // namespace ptdoctor::cli
