#include <spdlog/spdlog.h>

#include "cli/fix_options.hpp"
#include "fix/applier.hpp"
#include "fix/journal.hpp"

namespace ptdoctor::cli {

// `ptdoctor rollback [ID]`: every file of one apply back to its exact bytes and mode; new files removed.
void register_rollback(CLI::App& app, CommandContext& context) {
  struct Local {
    std::string id;
    bool yes = false;
    bool list = false;
  };
  auto local = std::make_shared<Local>();
  CLI::App* command = app.add_subcommand("rollback", "Undo a `fix --apply` (the latest when no ID is given)");
  command->add_option("--root", context.options.root, "Work on the host tree under DIR (default /)")->type_name("DIR");
  command->add_option("id", local->id, "Journal id printed by fix --apply")->type_name("ID");
  command->add_flag("-y,--yes", local->yes, "Do not ask for confirmation");
  command->add_flag("--list", local->list, "List the journals and exit");
  command->callback([&context, local] {
    context.action = [&context, local]() -> int {
      Session session(context.options);
      const HostView& host = session.host();
      if (local->list) {
        auto ids = fix::Journal::list(host);
        if (!ids) throw UsageError(ids.error().message);
        for (const std::string& id : *ids) {
          auto journal = fix::Journal::open(host, id);
          std::printf("%s  %zu file(s)%s\n", id.c_str(), journal ? journal->entries().size() : 0,
                      journal && journal->rolled_back() ? "  (rolled back)" : "");
        }
        return 0;
      }
      std::string id = local->id;
      if (id.empty()) {
        auto latest = fix::latest_journal(host);
        if (!latest) throw UsageError(latest.error().message);
        id = *latest;
      }
      auto journal = fix::Journal::open(host, id);
      if (!journal) throw UsageError(journal.error().message);
      std::printf("Journal %s restores:\n", id.c_str());
      for (const auto& entry : journal->entries()) {
        std::printf("  %s%s\n", entry.path.c_str(), entry.existed ? "" : "  (did not exist: removed)");
      }
      std::vector<std::string> undo_commands;
      for (const Json& command_entry : journal->commands()) {
        const Json undo = command_entry.value("undo", Json::array());
        if (command_entry.value("outcome", "") == "ok" && undo.is_array() && !undo.empty()) {
          std::string line;
          for (const Json& word : undo) line += (line.empty() ? "" : " ") + word.get<std::string>();
          undo_commands.push_back(line);
          continue;
        }
        std::printf("  (not undone: the command %s ran or was listed; run it again after the rollback if needed)\n",
                    command_entry.value("argv", Json::array()).dump().c_str());
      }
      // Newest first, like the files: the inverse of each command that ran.
      for (auto it = undo_commands.rbegin(); it != undo_commands.rend(); ++it) {
        std::printf("  (a command ran: undo it with `%s`)\n", it->c_str());
      }
      require_root_for_live(host, "rollback");
      if (!local->yes && !ask_yes_no("Roll back?")) {
        spdlog::error("not rolled back: confirm on a terminal, or pass --yes");
        return kExitUsage;
      }
      auto outcome = fix::rollback_journal(host, id);
      if (!outcome) {
        spdlog::error("{}", outcome.error().message);
        return 1;
      }
      for (const auto& path : outcome->restored) std::printf("restored: %s\n", path.c_str());
      for (const auto& path : outcome->removed) std::printf("removed: %s\n", path.c_str());
      for (const auto& path : outcome->already) std::printf("unchanged: %s\n", path.c_str());
      std::printf("Rolled back %s. Run update-grub / update-initramfs -u again if the apply ran them.\n", id.c_str());
      return 0;
    };
  });
}

}  // namespace ptdoctor::cli
