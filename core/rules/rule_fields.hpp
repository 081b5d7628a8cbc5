#pragma once
// Parses and validates one rule map (id, title, severity, when, for_each, as, subject, check, message, why, fix,
// refs, recognises) into a Rule, recording every problem with its file:line:column.
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "rules/rule.hpp"

namespace ptdoctor::rules {

std::optional<Rule> parse_rule(const YAML::Node& node, const std::string& file, std::vector<std::string>& problems);

// The names a rule's templates may use besides fact paths: the bound item of a for_each rule ("item" and its
// `as:` name). Also how the compiled rule cache parses the templates again.
Scope item_scope(const Rule& rule);
// "blocker", "warning", "info"; nullopt for anything else.
std::optional<Severity> severity_named(const std::string& name);

}  // namespace ptdoctor::rules
