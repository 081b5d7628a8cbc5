// Issue 15, point 1: everything ptdoctor prints for a person to paste or follow is rendered from this host's values
// and parses with ptdoctor's own parsers. On every fixture host, for the plugins' own GPU choice, each GPU given
// with --gpu, and each USB controller and all of them given with --usb, this runs what `check`, `plan` and `fix`
// (dry run) print, in process as tests/facts/world does: every fix text of a result check shows (fail, unknown,
// error), and every plan step's title, manual text, command, undo command, warning and written file, plus the
// plan's notes and warnings.
// printed_checks.hpp says how each piece is judged. Rule messages state findings, and may quote the host's own
// broken line or a device a domU config names but the host lacks, so they are not judged here.
//
// Placeholders: the reader may be asked to fill in a value only in prose ("Name the card with --gpu BB:DD.F"), never
// inside a code span, a command, a config line or a file, which are offered for pasting. A fix whose value is
// missing on this host (no target GPU, an unknown kernel release) is not printed at all, so the old "(BB:DD.F)"
// stand-in for a missing hide list never reaches a code span; the renderer keeps it only as a last resort.
//
// `explain` prints a rule as written (its templates, without a host), so it is judged by rule_lint and the
// documentation tests, not here.
#include <gtest/gtest.h>

#include <iostream>
#include <set>

#include "host/rooted_host_view.hpp"
#include "printed_checks.hpp"
#include "ptdoctor/json_fields.hpp"
#include "world.hpp"

namespace ptdoctor::testing {
namespace {

std::vector<std::string> field_of_each(const FactStore& facts, const std::string& list, const char* key) {
  std::vector<std::string> out;
  if (const Json* items = facts.find(list); items != nullptr && items->is_array()) {
    for (const Json& item : *items) {
      if (std::string value = string_field(item, key); !value.empty()) out.push_back(value);
    }
  }
  return out;
}

struct Choice {
  std::string gpu;               // "" for the plugins' own choice
  std::vector<std::string> usb;  // --usb
  std::string shown() const {
    std::string text = gpu.empty() ? "" : " --gpu " + gpu;
    for (const std::string& bdf : usb) text += " --usb " + bdf;
    return text;
  }
};

std::vector<Choice> choices_for(const FactStore& facts) {
  std::vector<Choice> runs = {{"", {}}};
  for (const std::string& gpu : field_of_each(facts, "gpu.candidates", "bdf")) runs.push_back({gpu, {}});
  // Each controller alone (the plan adds its companions) and all of them together.
  const std::vector<std::string> usb = field_of_each(facts, "usb.controllers", "bdf");
  for (const std::string& controller : usb) runs.push_back({"", {controller}});
  if (usb.size() > 1) runs.push_back({"", usb});
  return runs;
}

// Judges what check, plan and fix (dry run) print for one choice of devices.
void judge_run(const std::string& fixture, const HostView& host, const Choice& run, Judge& judge) {
  engine::Collection collected =
      collect(host, run.gpu.empty() ? std::vector<std::string>{} : std::vector<std::string>{run.gpu}, run.usb);
  fix::Choices choices;
  choices.gpu = run.gpu;
  choices.usb = run.usb;
  choices.name = "win";
  choices.disks = {"phy:/dev/vg/win,hda,w"};
  choices.seed = 1;
  std::vector<RuleResult> results;
  fix::Plan plan;
  const std::string broke = check_plan_fix(collected.facts, host, choices, &results, &plan);
  const std::string at = fixture + run.shown();
  if (!broke.empty()) {
    judge.problems.push_back(at + ": " + broke);
    return;
  }
  for (const RuleResult& result : results) {
    if (!is_problem(result)) continue;  // check prints fixes only for what failed or could not be decided
    for (std::size_t i = 0; i < result.fixes.size(); ++i) {
      judge.advice(at + ": check " + result.rule_id + (result.subject.empty() ? "" : " [" + result.subject + "]") +
                       " fix " + std::to_string(i + 1),
                   result.fixes[i].text);
    }
  }
  for (const fix::PlanStep& step : plan.steps) {
    const std::string where = at + ": plan step " + step.id;
    judge.advice(where + " title", step.title);
    if (!step.text.empty()) judge.advice(where + " text", step.text);
    for (const std::string& warning : step.warnings) judge.advice(where + " warning", warning);
    if (!step.argv.empty()) judge.command(where + " command", step.argv);
    if (!step.undo_argv.empty()) judge.command(where + " undo", step.undo_argv);
    if (step.file && step.file->changes()) judge.file(where + " " + step.file->path, step.file->path, step.file->after);
  }
  for (const std::string& note : plan.notes) judge.advice(at + ": plan note", note);
  for (const std::string& warning : plan.warnings) judge.advice(at + ": plan warning", warning);
}

TEST(PrintedText, EveryFixCommandAndConfigLineParsesAndNamesOnlyThisHostsDevices) {
  ASSERT_TRUE(world().load_problems.empty()) << world().load_problems.front();
  ASSERT_GE(world().fixtures.size(), 20u) << "the generated fixture hosts are missing";
  Tally tally;
  std::vector<std::string> problems;
  std::size_t runs = 0;
  std::set<std::string> unclassified;
  for (const std::string& fixture : world().fixtures) {
    auto host = host::RootedHostView::open(fixture_root(fixture), host::HostViewOptions{});
    ASSERT_TRUE(host) << host.error().message;
    engine::Collection base = collect(**host);
    const HostTruth truth = host_truth(fixture_root(fixture), field_of_each(base.facts, "pci.devices", "driver"));
    Judge judge{truth, tally, {}};
    for (const Choice& run : choices_for(base.facts)) {
      judge_run(fixture, **host, run, judge);
      ++runs;
    }
    problems.insert(problems.end(), judge.problems.begin(), judge.problems.end());
    unclassified.insert(judge.unclassified.begin(), judge.unclassified.end());
  }
  // The same text is printed by several runs of a host: report each problem once.
  std::set<std::string> unique(problems.begin(), problems.end());
  std::string listing;
  for (const std::string& problem : unique) listing += "\n  " + problem;
  EXPECT_TRUE(unique.empty()) << unique.size() << " printed texts do not parse or name what this host lacks:" << listing;
  std::string counts;
  for (const auto& [kind, count] : tally) counts += "\n  " + kind + ": " + std::to_string(count);
  std::string others;
  for (const std::string& span : unclassified) others += "\n  `" + span + "`";
  std::cout << world().fixtures.size() << " fixture hosts, " << runs << " runs; parsed:" << counts
            << "\ncode spans judged only for placeholders and addresses:" << others << "\n";
  // Guards against a collector that silently stops seeing things.
  EXPECT_GT(tally["kernel parameter"], 0);
  EXPECT_GT(tally["modprobe.d file"], 0);
  EXPECT_GT(tally["domU config"], 0);
  EXPECT_GT(tally["shell command"], 0);
  EXPECT_GT(tally["/etc/default/grub file"], 0);
}

}  // namespace
}  // namespace ptdoctor::testing
