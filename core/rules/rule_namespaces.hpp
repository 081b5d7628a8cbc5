#pragma once
// Which fact namespaces a rule reads (check, when, for_each, subject, messages, fixes): the core uses it to tell
// which plugins a run needs, so a missing plugin is named instead of its rules judging absent facts.
#include <set>
#include <string>

#include "rules/rule.hpp"

namespace ptdoctor::rules {

// Adds to `out` the first component of every fact path the rule names that is not a bound item ("item", the
// `as:` name, some/every variables): "cpu" for $cpu.vmx.
void add_namespaces_read(const Rule& rule, std::set<std::string>& out);

}  // namespace ptdoctor::rules
