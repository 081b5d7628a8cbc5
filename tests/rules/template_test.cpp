// Message templates: placeholders, joining, missing values, escapes and load-time checks.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"
#include "rules/message_template.hpp"

namespace ptdoctor::rules {
namespace {

std::string render(const std::string& text, const Json& facts, const Scope& scope = {}) {
  MessageTemplate parsed;
  auto bad = MessageTemplate::parse(text, scope, parsed);
  EXPECT_FALSE(bad) << *bad;
  return parsed.render([&facts](const FactRef& ref) -> const Json* {
    const Json* node = &facts;
    for (const std::string& part : ref.parts) {
      if (!node->is_object() || !node->contains(part)) return nullptr;
      node = &(*node)[part];
    }
    return node;
  });
}

TEST(RuleEngine, TemplateInsertsValuesJoinsListsAndShowsMissingAsQuestionMark) {
  Json facts = {{"cpu", {{"brand", "Xeon"}, {"family", 6}, {"vmx", true}}},
                {"xen", {{"virt_caps", {"hvm", "hap"}}, {"none", nullptr}}}};
  EXPECT_EQ(render("VT-x on {cpu.brand} (family {cpu.family}, vmx {cpu.vmx})", facts),
            "VT-x on Xeon (family 6, vmx true)");
  EXPECT_EQ(render("caps: {xen.virt_caps}", facts), "caps: hvm, hap");
  EXPECT_EQ(render("{xen.none} and {xen.gone}", facts), "? and ?");
  EXPECT_EQ(render("literal {{braces}} stay", facts), "literal {braces} stay");
}

TEST(RuleEngine, TemplateRejectsNamesThatAreNeitherFactPathsNorTheItem) {
  MessageTemplate parsed;
  EXPECT_TRUE(MessageTemplate::parse("{bdf}", {}, parsed));
  EXPECT_TRUE(MessageTemplate::parse("{item.bdf}", {}, parsed));
  EXPECT_TRUE(MessageTemplate::parse("{cpu..vmx}", {}, parsed));
  EXPECT_TRUE(MessageTemplate::parse("open {cpu.vmx", {}, parsed));
  EXPECT_TRUE(MessageTemplate::parse("close }", {}, parsed));
  EXPECT_FALSE(MessageTemplate::parse("{item.bdf} {gpu}", {"item", "gpu"}, parsed));
  EXPECT_FALSE(MessageTemplate::parse("{kernel.config.CONFIG_XEN}", {}, parsed));
}

// The hide list xen-pciback parses: one "(BDF)" group per function, nothing between them (a comma stops its parser).
TEST(RuleEngine, TemplatePcibackHideFormWritesTheListTheKernelParses) {
  Json facts = {{"gpu", {{"functions", {"0000:03:00.0", "0000:03:00.1"}}, {"target", "0000:03:00.0"}}}};
  EXPECT_EQ(render("xen-pciback.hide={gpu.functions|pciback-hide}", facts),
            "xen-pciback.hide=(0000:03:00.0)(0000:03:00.1)");
  EXPECT_EQ(render("{gpu.target|pciback-hide}", facts), "(0000:03:00.0)");
  EXPECT_EQ(render("{gpu.gone|pciback-hide}", facts), "(BB:DD.F)");
  MessageTemplate parsed;
  auto bad = MessageTemplate::parse("{gpu.functions|shell}", {}, parsed);
  ASSERT_TRUE(bad);
  EXPECT_NE(bad->find("unknown form 'shell'"), std::string::npos) << *bad;
  ASSERT_FALSE(MessageTemplate::parse("{gpu.functions|pciback-hide} on {gpu.target}", {}, parsed));
  ASSERT_EQ(parsed.placeholders().size(), 2u);
  EXPECT_EQ(parsed.placeholders()[0].path, "gpu.functions");
}

TEST(RuleEngine, TemplateFactsAreRecordedInTheResult) {
  FactStore facts;
  facts.set("cpu.vmx", true, "test");
  facts.set("cpu.brand", "Xeon", "test");
  std::string yaml = "kind: rules\nrules:\n  - id: cpu.t\n    title: T\n    severity: info\n    check: $cpu.vmx\n"
                     "    message: {fail: no, pass: \"ok on {cpu.brand}\"}\n";
  auto results = testing::run_rules(yaml, facts);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].message, "ok on Xeon");
  EXPECT_EQ(results[0].facts["cpu.brand"], "Xeon");
}

}  // namespace
}  // namespace ptdoctor::rules
