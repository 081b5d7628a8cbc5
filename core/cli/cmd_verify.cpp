#include <spdlog/spdlog.h>

#include "cli/fix_options.hpp"
#include "fix/applier.hpp"
#include "fix/journal.hpp"
#include "fix/verify.hpp"

namespace ptdoctor::cli {

// `ptdoctor verify`: after the reboot, which steps of the applied plan took effect, and why the others did not.
void register_verify(CLI::App& app, CommandContext& context) {
  struct Local {
    fix::Choices choices;
    std::string format = "text";
  };
  auto local = std::make_shared<Local>();
  CLI::App* command = app.add_subcommand("verify", "After fix --apply and a reboot: check each step took effect");
  add_host_options(*command, context.options);
  add_choice_options(*command, local->choices);
  command->add_option("--format", local->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  command->callback([&context, local] {
    context.action = [&context, local]() -> int {
      Session session(context.options);
      const HostView& host = session.host();
      // The plan that was applied, as its journal kept it; without one, the plan as it would be now.
      std::optional<fix::Plan> intended;
      std::string source = "the plan for the current options (no journal found)";
      if (auto id = fix::latest_journal(host)) {
        // A journal whose plan cannot be read is said, not passed over in silence: the checks below then judge
        // the plan as it would be now, which may differ from what was applied.
        auto unreadable = [&](const std::string& why) {
          spdlog::warn("journal {}: its plan cannot be read ({}): verifying the plan for the current options", *id,
                       why);
          source = "the plan for the current options (journal " + *id + "'s plan cannot be read)";
        };
        auto journal = fix::Journal::open(host, *id);
        auto saved = journal ? journal->plan() : Result<Json>(journal.error());
        if (!saved) {
          unreadable(saved.error().message);
        } else if (auto plan = fix::plan_from_json(*saved, *id + "/plan.json"); !plan) {
          unreadable(plan.error().message);
        } else {
          intended = std::move(*plan);
          source = "journal " + *id;
        }
      }
      if (!intended) intended = plan_for(session, local->choices);
      auto checks = fix::verify_setup(session.collection().facts, host, *intended);
      int fails = 0, unknowns = 0;
      for (const auto& check : checks) {
        fails += check.status == "fail";
        unknowns += check.status == "unknown";
      }
      if (local->format == "json") {
        Json out = {{"source", source}, {"checks", Json::array()}};
        for (const auto& check : checks) {
          out["checks"].push_back({{"id", check.id}, {"status", check.status}, {"message", check.message}});
        }
        emit(out.dump(2) + "\n", "");
      } else {
        std::string text = "Verifying " + source + "\n";
        for (const auto& check : checks) {
          const char* mark = check.status == "ok" ? "ok  " : check.status == "fail" ? "FAIL" : "?   ";
          text += std::string(mark) + " " + check.message + "\n";
        }
        text += fails ? std::to_string(fails) + " step(s) did not take effect.\n"
                      : unknowns ? "Some steps cannot be checked here (marked ?).\n" : "Every step took effect.\n";
        emit(text, "");
      }
      return fails ? 2 : unknowns ? 3 : 0;
    };
  });
}

}  // namespace ptdoctor::cli
