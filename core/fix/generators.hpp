#pragma once
// The fix generators a rule's `fix: {action: {generator: NAME, ...}}` may name: one table {name, help, run} that the
// planner dispatches through, the rule loader checks names against (a misspelt generator is a load error, not a
// silently unplanned fix) and `ptdoctor rules --generators` / docs/fixing.md list.
#include <string>
#include <string_view>
#include <vector>

#include "ptdoctor/json.hpp"
#include "ptdoctor/result.hpp"

namespace ptdoctor::fix {

namespace detail {
class Builder;
}

struct Generator {
  const char* name;
  const char* help;  // what it does and its parameters, one line
  bool per_rule;     // runs for every rule naming it (its parameters differ); otherwise once per plan
  Status (*run)(detail::Builder& builder, const Json& params, const std::string& why);
};

const std::vector<Generator>& fix_generators();
// nullptr for a name no generator has.
const Generator* find_generator(std::string_view name);
// "kconfig-fragment, pciback-hide, ...": for messages that list the known names.
std::string generator_names();

}  // namespace ptdoctor::fix
