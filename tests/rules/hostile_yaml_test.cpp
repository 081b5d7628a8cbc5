// Hostile or broken input: the loader reports a problem and never crashes, hangs or explodes in memory.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include "rule_test_support.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

using ::testing::HasSubstr;

TEST(RuleEngine, DeeplyNestedFlowYamlIsRefused) {
  std::string deep = "kind: rules\nrules: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
  EXPECT_FALSE(load_errors(deep).empty());
}

TEST(RuleEngine, DeeplyNestedExpressionIsRefusedWithALocation) {
  std::string check;
  for (int i = 0; i < 200; ++i) check += "{not: ";
  check += "true";
  for (int i = 0; i < 200; ++i) check += "}";
  auto errors = load_errors(one_rule(check));
  ASSERT_FALSE(errors.empty());
  EXPECT_THAT(errors.front(), HasSubstr("nested more than 64 levels"));
  EXPECT_THAT(errors.front(), ::testing::StartsWith("t.yaml:7:"));
}

TEST(RuleEngine, AliasBombIsRefused) {
  // Each level doubles the expression; 40 levels would be 2^40 nodes if aliases were expanded blindly.
  std::string yaml = "kind: rules\nrules:\n  - id: t.bomb\n    title: T\n    severity: info\n"
                     "    message: {fail: x}\n    check: &l0 {all: [true, true]}\n";
  for (int i = 1; i <= 40; ++i) {
    yaml += "    title" + std::to_string(i) + ": &l" + std::to_string(i) + " {all: [*l" + std::to_string(i - 1) +
            ", *l" + std::to_string(i - 1) + "]}\n";
  }
  yaml += "  - id: t.bomb2\n    title: T\n    severity: info\n    message: {fail: x}\n    check: *l40\n";
  auto errors = load_errors(yaml);
  ASSERT_FALSE(errors.empty());
  bool budget = false;
  for (const std::string& error : errors) budget |= error.find("nodes") != std::string::npos;
  EXPECT_TRUE(budget);
}

TEST(RuleEngine, OversizedFileIsRefusedWithoutParsing) {
  TempTree tree;
  std::string path = tree.write("/big.yaml", "kind: rules\nrules: []\n#" + std::string(5u << 20, 'x') + "\n");
  RuleSet rules;
  auto errors = rules.load(path);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0].message, HasSubstr("4 MiB limit"));
}

TEST(RuleEngine, GarbageInputIsAnErrorNotACrash) {
  for (const std::string& text : {std::string("\0\1\2\3", 4), std::string("{{{{"), std::string("]]]"),
                                 std::string(":\n:\n:"), std::string("kind: [rules]"), std::string("*undefined"),
                                 std::string("kind: rules\nrules:\n  - 42\n  - [x]\n  - ~\n"),
                                 std::string("kind: rules\nrules:\n  - {id: t.x, title: T, severity: info, "
                                             "check: {? [a]: b}, message: {fail: x}}\n")}) {
    EXPECT_FALSE(load_errors(text).empty()) << text;
  }
}

TEST(RuleEngine, ManyMistakesAreCappedPerFile) {
  std::string yaml = "kind: rules\nrules:\n";
  for (int i = 0; i < 200; ++i) yaml += "  - 42\n";
  auto errors = load_errors(yaml);
  ASSERT_EQ(errors.size(), 51u);
  EXPECT_THAT(errors.back(), HasSubstr("150 more problems"));
}

TEST(RuleEngine, EmptyRulesListLoadsNothingWithoutError) {
  EXPECT_TRUE(load_errors("kind: rules\nschema: 1\nrules: []\n").empty());
}

}  // namespace
}  // namespace ptdoctor::testing
