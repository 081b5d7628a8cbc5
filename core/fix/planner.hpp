#pragma once
// The planner: from the facts, the failing rules and the user's choices, the ordered steps that build the guide's
// setup on this host (REFERENCE.md §1-§4). It reads files only to diff against them; it changes nothing.
#include <string>
#include <vector>

#include "fix/choices.hpp"
#include "fix/generators.hpp"
#include "fix/plan.hpp"
#include "planned_files.hpp"  // where the planner writes (host paths): kPcibackModprobe, kModulesFile, ...
#include "ptdoctor/facts.hpp"
#include "ptdoctor/host_view.hpp"
#include "ptdoctor/json.hpp"
#include "ptdoctor/report.hpp"
#include "ptdoctor/result.hpp"

namespace ptdoctor::fix {

// Errors: invalid user choices (kInvalidInput naming the option), or a file that cannot be read.
// `results`: rule results of this run; failing ones add their fixes (generators or manual steps).
Result<Plan> make_plan(const FactReader& facts, const HostView& host, const Choices& choices,
                       const std::vector<RuleResult>& results = {});

}  // namespace ptdoctor::fix
