// Validation on load: every kind of mistake is reported with the exact file:line:column (1-based) and a file
// with any mistake contributes no rules.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include "rule_test_support.hpp"

namespace ptdoctor::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Lines 1-7; the check value starts at line 6, column 12.
std::string rule_with(const std::string& check, const std::string& severity = "info",
                      const std::string& tail = "    message: {fail: x}\n") {
  return "kind: rules\n"
         "rules:\n"
         "  - id: t.rule\n"
         "    title: T\n"
         "    severity: " + severity + "\n"
         "    check: " + check + "\n" + tail;
}

struct ErrorCase {
  const char* name;
  std::string yaml;
  const char* where;
  const char* says;
};

void PrintTo(const ErrorCase& c, std::ostream* out) { *out << c.name; }

class LoadErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(LoadErrors, NameFileLineColumnAndTheMistake) {
  const ErrorCase& c = GetParam();
  RuleSet rules;
  auto errors = rules.load_text(c.yaml, "t.yaml");
  ASSERT_FALSE(errors.empty()) << c.name;
  EXPECT_THAT(errors.front().message, StartsWith(std::string(c.where) + ": ")) << c.name;
  EXPECT_THAT(errors.front().message, HasSubstr(c.says)) << c.name;
  EXPECT_EQ(rules.size(), 0u) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    RuleEngine, LoadErrors,
    ::testing::Values(
        ErrorCase{"syntax", "kind: rules\nrules:\n  - id: [unclosed\n", "t.yaml:4:1", "YAML syntax error"},
        ErrorCase{"tab", "kind: rules\nrules:\n\t- id: x\n", "t.yaml:3:2", "YAML syntax error"},
        ErrorCase{"missing kind", "rules: []\n", "t.yaml:1:1", "missing `kind: rules`"},
        ErrorCase{"unknown kind", "kind: rulez\nrules: []\n", "t.yaml:1:7", "unknown kind 'rulez'"},
        ErrorCase{"data kind given explicitly", "kind: gpu-quirks\nquirks: []\n", "t.yaml:1:7",
                  "gpu-quirks data file, not a rules file"},
        ErrorCase{"unknown top-level key", "kind: rules\nrulez: []\nrules: []\n", "t.yaml:2:1", "unknown key 'rulez'"},
        ErrorCase{"bad schema", "kind: rules\nschema: 2\nrules: []\n", "t.yaml:2:9", "schema: 1"},
        ErrorCase{"rules not a list", "kind: rules\nrules: {}\n", "t.yaml:2:8", "rules: must be a list"},
        ErrorCase{"unknown rule key", rule_with("$a.b", "info", "    message: {fail: x}\n    cheque: 1\n"),
                  "t.yaml:8:5", "unknown key 'cheque' in rule"},
        ErrorCase{"duplicate rule key", rule_with("$a.b", "info", "    message: {fail: x}\n    check: $a.c\n"),
                  "t.yaml:8:5", "key 'check' appears twice"},
        ErrorCase{"unknown operator", rule_with("{greater: [$a.b, 1]}"), "t.yaml:6:13", "unknown operator 'greater'"},
        ErrorCase{"two keys in an operator", rule_with("{exists: $a.b, empty: $a.c}"), "t.yaml:6:12",
                  "one key, found 2"},
        ErrorCase{"operand count", rule_with("{equals: [$a.b]}"), "t.yaml:6:21", "two operands [a, b], found 1"},
        ErrorCase{"operand not a list", rule_with("{equals: $a.b}"), "t.yaml:6:21", "two operands"},
        ErrorCase{"string where a number is needed", rule_with("{gt: [$a.b, \"x\"]}"), "t.yaml:6:24",
                  "gt compares numbers, but this operand is 'x' (a string)"},
        ErrorCase{"float version", rule_with("{version_ge: [$xen.version, 4.10]}"), "t.yaml:6:40",
                  "quoted string"},
        ErrorCase{"in needs a list", rule_with("{in: [$a.b, 3]}"), "t.yaml:6:24", "in needs a list"},
        ErrorCase{"invalid regex", rule_with("{matches: [$a.b, \"(unclosed\"]}"), "t.yaml:6:29",
                  "invalid regular expression '(unclosed'"},
        ErrorCase{"nested quantifier regex", rule_with("{matches: [$a.b, \"(a+)+b\"]}"), "t.yaml:6:29",
                  "exponential time"},
        ErrorCase{"nested quantifier through an inner group", rule_with("{matches: [$a.b, \"((x|y)*z)*\"]}"),
                  "t.yaml:6:29", "exponential time"},
        // libstdc++'s regex compiler overflows a long on these (undefined behaviour before it could throw).
        ErrorCase{"overlong repetition count", rule_with("{matches: [$a.b, \"x{99999999999999999999}\"]}"),
                  "t.yaml:6:29", "more than 9 digits"},
        ErrorCase{"overlong upper repetition count", rule_with("{matches: [$a.b, \"x{1,4444444444444444444}\"]}"),
                  "t.yaml:6:29", "more than 9 digits"},
        ErrorCase{"overlong back-reference", rule_with("{matches: [$a.b, \"(x)\\\\12345678901\"]}"),
                  "t.yaml:6:29", "more than 9 digits"},
        ErrorCase{"regex from a fact", rule_with("{matches: [$a.b, $a.c]}"), "t.yaml:6:29", "literal string"},
        ErrorCase{"exists of a literal", rule_with("{exists: abc}"), "t.yaml:6:21", "fact reference"},
        ErrorCase{"length as condition", rule_with("{length: $a.b}"), "t.yaml:6:12", "not a condition"},
        ErrorCase{"not of a list", rule_with("{not: [$a.b, $a.c]}"), "t.yaml:6:18", "not takes one condition"},
        ErrorCase{"empty all", rule_with("{all: []}"), "t.yaml:6:18", "non-empty list"},
        ErrorCase{"list as condition", rule_with("[$a.b]"), "t.yaml:6:12", "wrap the conditions in all:"},
        ErrorCase{"string as condition", rule_with("yes please"), "t.yaml:6:12", "expected a condition"},
        ErrorCase{"one-part fact path", rule_with("$vmx"), "t.yaml:6:12", "neither a fact path"},
        ErrorCase{"item without for_each", rule_with("{exists: $item.bdf}"), "t.yaml:6:21",
                  "only bound in a rule with for_each"},
        ErrorCase{"fact reference in a literal list", rule_with("{in: [$a.b, [x, $a.c]]}"), "t.yaml:6:24",
                  "cannot hold fact references"},
        ErrorCase{"unknown key in some", rule_with("{some: {in: $a.b, as: x, chek: $x.y}}"), "t.yaml:6:37",
                  "unknown key 'chek' in some"},
        ErrorCase{"quantifier variable out of scope", rule_with("{all: [{some: {in: $a.b, as: x, check: true}}, $x]}"),
                  "t.yaml:6:59", "neither a fact path"},
        ErrorCase{"bad severity", rule_with("$a.b", "fatal"), "t.yaml:5:15", "severity 'fatal'"},
        ErrorCase{"bad id", "kind: rules\nrules:\n  - id: T.Rule\n    title: T\n    severity: info\n"
                            "    check: $a.b\n    message: {fail: x}\n",
                  "t.yaml:3:9", "rule id 'T.Rule' must match"},
        ErrorCase{"missing check", "kind: rules\nrules:\n  - id: t.rule\n    title: T\n    severity: info\n"
                                   "    message: {fail: x}\n",
                  "t.yaml:3:5", "rule 't.rule' has no check"},
        ErrorCase{"missing title", "kind: rules\nrules:\n  - id: t.rule\n    severity: info\n    check: true\n"
                                   "    message: {fail: x}\n",
                  "t.yaml:3:5", "rule 't.rule' has no title"},
        ErrorCase{"missing message", rule_with("$a.b", "info", ""), "t.yaml:3:5", "needs message:"},
        ErrorCase{"missing message.fail", rule_with("$a.b", "info", "    message: {pass: x}\n"), "t.yaml:7:14",
                  "message has no fail:"},
        ErrorCase{"unknown message key", rule_with("$a.b", "info", "    message: {fail: x, fial: y}\n"),
                  "t.yaml:7:24", "unknown key 'fial' in message"},
        ErrorCase{"missing why for blocker", rule_with("$a.b", "blocker"), "t.yaml:3:5", "has no why"},
        ErrorCase{"missing why for warning", rule_with("$a.b", "warning"), "t.yaml:3:5", "has no why"},
        ErrorCase{"as without for_each", rule_with("$a.b", "info", "    message: {fail: x}\n    as: gpu\n"),
                  "t.yaml:8:9", "has no for_each"},
        ErrorCase{"for_each of a literal", rule_with("$a.b", "info", "    message: {fail: x}\n    for_each: [1]\n"),
                  "t.yaml:8:15", "for_each takes a fact reference"},
        ErrorCase{"template names neither fact nor item", rule_with("$a.b", "info", "    message: {fail: \"{bdf} bad\"}\n"),
                  "t.yaml:7:21", "neither a fact path"},
        ErrorCase{"template names item without for_each",
                  rule_with("$a.b", "info", "    message: {fail: x}\n    subject: \"{item.bdf}\"\n"), "t.yaml:8:14",
                  "only bound in a rule with for_each"},
        ErrorCase{"unclosed template brace", rule_with("$a.b", "info", "    message: {fail: \"{cpu.vmx\"}\n"),
                  "t.yaml:7:21", "unclosed '{'"},
        ErrorCase{"fix action without generator",
                  rule_with("$a.b", "info", "    message: {fail: x}\n    fix:\n      - {text: t, action: {bdf: x}}\n"),
                  "t.yaml:9:27", "generator: NAME"},
        ErrorCase{"unknown fix key",
                  rule_with("$a.b", "info", "    message: {fail: x}\n    fix:\n      - {text: t, how: x}\n"),
                  "t.yaml:9:19", "unknown key 'how' in fix"},
        ErrorCase{"refs not a list", rule_with("$a.b", "info", "    message: {fail: x}\n    refs: http://x\n"),
                  "t.yaml:8:11", "refs must be a list"},
        ErrorCase{"invalid recognises regex",
                  rule_with("$a.b", "info", "    message: {fail: x}\n    recognises: [\"[unclosed\"]\n"), "t.yaml:8:18",
                  "recognises: invalid regular expression"},
        ErrorCase{"duplicate id in one file",
                  rule_with("$a.b") + "  - id: t.rule\n    title: T\n    severity: info\n    check: true\n"
                                      "    message: {fail: x}\n",
                  "t.yaml:8:5", "rule id 't.rule' is already defined at t.yaml:3:5"},
        ErrorCase{"two documents", "kind: rules\nrules: []\n---\nkind: rules\n", "t.yaml", "exactly one YAML document"},
        // Found by the rule_yaml fuzz target (tests/fuzz): yaml-cpp's LoadAll never returned on these and filled memory.
        ErrorCase{"stray comma after a scalar", "\"a\",\n", "t.yaml:1:1", "a rules file is a map"},
        ErrorCase{"stray comma after a marker", "---\n\"a\",\n", "t.yaml", "found more than one"},
        ErrorCase{"not a map", "- 1\n- 2\n", "t.yaml:1:1", "a rules file is a map"}),
    [](const ::testing::TestParamInfo<ErrorCase>& info) {
      std::string name = info.param.name;
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

TEST(RuleEngine, AllMistakesOfAFileAreReportedInOneLoad) {
  std::string yaml = rule_with("{greater: [$a.b, 1]}", "fatal");
  auto errors = load_errors(yaml);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_THAT(errors, ElementsAre(StartsWith("t.yaml:5:15: severity 'fatal'"), StartsWith("t.yaml:6:13: unknown operator")));
}

TEST(RuleEngine, OrdinaryRegexesAreNotMistakenForNestedQuantifiers) {
  for (const char* pattern : {"(^| )intel_iommu=(on|1)( |$)", "^[0-9a-f]{4}:[0-9a-f]{2}", "(ab)+c*", "[(+]+x",
                              "a\\(+\\)+", "(?:pci=)?nomsi", "(a{2})+", "(a+)?b"}) {
    auto errors = load_errors(rule_with(std::string("{matches: [$a.b, '") + pattern + "']}"));
    EXPECT_TRUE(errors.empty()) << pattern << ": " << (errors.empty() ? "" : errors.front());
  }
}

TEST(RuleEngine, DataFileIsSkippedSilentlyOnlyWhenFoundInADirectory) {
  EXPECT_FALSE(load_errors("kind: hwdb\nentries: []\n").empty());
}

}  // namespace
}  // namespace ptdoctor::testing
