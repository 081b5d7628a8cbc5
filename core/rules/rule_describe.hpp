#pragma once
// A rule as JSON for `ptdoctor rules --json` and `ptdoctor explain`: id, title, severity, why, check, when,
// for_each, message, fixes, refs, recognises, source.
#include "ptdoctor/json.hpp"
#include "rules/rule.hpp"

namespace ptdoctor::rules {

Json describe_rule(const Rule& rule);

}  // namespace ptdoctor::rules
