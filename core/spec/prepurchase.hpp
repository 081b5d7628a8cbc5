#pragma once
// The pre-purchase answer for a parts list: one verdict with its own exit code, what the parts decide (the results
// of the spec.* rules, rules/spec.yaml), the parts the database does not know, and the checklist for the built
// machine. Rules that only a running machine can decide (dom0 kernel, sysfs, firmware tables) are left out: a
// parts list cannot settle them, and the checklist ends with taking a snapshot there.
#include <string>
#include <vector>

#include "ptdoctor/json.hpp"
#include "ptdoctor/report.hpp"

namespace ptdoctor::spec {

enum class BuyVerdict { kCapable, kCaveats, kNotCapable, kUnknownPart };

const char* to_string(BuyVerdict verdict);  // "capable", "capable with caveats", "not capable", "unknown part"
// 0 capable, 1 capable with caveats, 2 not capable, 3 unknown part (docs/pre-purchase.md).
int exit_code_for(BuyVerdict verdict);

struct BuildAnswer {
  std::string name;
  std::string file;
  BuyVerdict verdict = BuyVerdict::kUnknownPart;
  std::string headline;                                    // one sentence: the verdict and its main reason
  std::vector<std::pair<std::string, std::string>> parts;  // {"CPU", "Intel Core i7-920"}, ...
  std::vector<RuleResult> decided;                         // spec.* results that apply (skips left out), in rule order
  std::vector<std::string> unknown_parts;  // "GPU 'X' is not in the hardware database: give its PCI id ..."
  std::vector<std::string> checklist;      // what to set and check on the built machine
};

// Reads a `check` run over a parts list (RunReport from Session::check with --spec).
BuildAnswer answer_build(const RunReport& report);

// The exit code of several builds: the worst of them (unknown part counts as worst).
int exit_code_for(const std::vector<BuildAnswer>& answers);

// One build: verdict, decided results, checklist (text at most ~40 lines). Several: one side-by-side table.
std::string render_answers_text(const std::vector<BuildAnswer>& answers, bool color);
std::string render_answers_markdown(const std::vector<BuildAnswer>& answers);
Json answers_json(const std::vector<BuildAnswer>& answers);

}  // namespace ptdoctor::spec
