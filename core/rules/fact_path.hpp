#pragma once
// Fact paths as rule authors write them ("cpu.vmx", "item.bdf") and the check that they name either a fact
// (namespace.name) or an item bound in scope. Shared by expressions and message templates.
#include <optional>
#include <string>
#include <vector>

#include "rules/expression.hpp"

namespace ptdoctor::rules {

// Names bound where an expression or template is written: "item" and the `as:` name inside a for_each rule,
// plus some/every variables inside their `check:`.
using Scope = std::vector<std::string>;

// Parses "cpu.vmx" (without the `$`). Returns the problem as text when it is not a usable path here.
std::optional<std::string> parse_fact_path(const std::string& text, const Scope& scope, FactRef& out);

// "is `$name` bound?" helper used to tell rules whose `when:` depends on the item.
bool references_name(const Expr& expr, const std::string& name);

}  // namespace ptdoctor::rules
