// Message templates: placeholders, joining, missing values, escapes and load-time checks.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"
#include "planned_files.hpp"
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

// `{file:NAME}` is the planner's own path, so a fix names the file `fix` writes (not a hand-written copy of it).
TEST(RuleEngine, TemplateFileNamesThePathThePlannerWrites) {
  EXPECT_EQ(render("add it to {file:pciback-modprobe}", Json::object()), std::string("add it to ") + kPcibackModprobe);
  EXPECT_EQ(render("{file:modules}", Json::object()), kModulesFile);
  MessageTemplate parsed;
  ASSERT_FALSE(MessageTemplate::parse("{file:pciback-modprobe}", {}, parsed));
  EXPECT_TRUE(parsed.placeholders().empty()) << "a constant, not a fact a rule reads";
  auto bad = MessageTemplate::parse("{file:xen-pciback.conf}", {}, parsed);
  ASSERT_TRUE(bad);
  EXPECT_NE(bad->find("unknown file 'xen-pciback.conf' (known: grub-defaults, pciback-modprobe"), std::string::npos)
      << *bad;
}

TEST(RuleEngine, TemplateSizeFormWritesBinaryUnits) {
  Json facts = {{"gpu", {{"mib", 1048576}, {"bars", 268435456LL + 16777216 + 131072}, {"small", 512},
                         {"text", "x"}}}};
  EXPECT_EQ(render("{gpu.mib|size}", facts), "1 MiB");
  EXPECT_EQ(render("{gpu.bars|size}", facts), "272.1 MiB");
  EXPECT_EQ(render("{gpu.small|size}", facts), "512 bytes");
  EXPECT_EQ(render("{gpu.text|size}", facts), "?");
}

// One pci= line for every controller of a shared RMRR, each entry as xl-pci-configuration(5) spells a per-device
// policy (a global rdm= with policy= is ignored since Xen 4.15).
TEST(RuleEngine, TemplatePciRelaxedFormWritesOnePciEntryPerFunction) {
  Json facts = {{"usb", {{"selected", {"0000:00:1d.0", "0000:00:1d.7"}}, {"one", "0000:00:1a.0"},
                         {"none", Json::array()}}}};
  EXPECT_EQ(render("pci = [ {usb.selected|pci-relaxed} ]", facts),
            "pci = [ '0000:00:1d.0,rdm_policy=relaxed', '0000:00:1d.7,rdm_policy=relaxed' ]");
  EXPECT_EQ(render("{usb.one|pci-relaxed}", facts), "'0000:00:1a.0,rdm_policy=relaxed'");
  EXPECT_EQ(render("{usb.none|pci-relaxed}", facts), "?");
}

// Under Xen, dom0 finds the DMAR table as RMAD: the report says what that file is rather than leave a reader
// wondering whether RMAD is some other table.
TEST(RuleEngine, TemplateDmarFileFormSaysWhenXenRenamedTheTable) {
  Json facts = {{"acpi", {{"xen", "/sys/firmware/acpi/tables/RMAD"}, {"old", "/sys/firmware/acpi/tables/XMAR"},
                          {"bare", "/sys/firmware/acpi/tables/DMAR"}}}};
  EXPECT_EQ(render("{acpi.xen|dmar-file}", facts),
            "/sys/firmware/acpi/tables/RMAD (the DMAR table, renamed RMAD by Xen for dom0)");
  EXPECT_EQ(render("{acpi.old|dmar-file}", facts),
            "/sys/firmware/acpi/tables/XMAR (the DMAR table, renamed XMAR by Xen for dom0)");
  EXPECT_EQ(render("{acpi.bare|dmar-file}", facts), "/sys/firmware/acpi/tables/DMAR");
}

// Without a host (explain) a placeholder is named in angle brackets, never rendered as "?" or a stand-in device.
TEST(RuleEngine, TemplateRendersGenericallyWithoutAHost) {
  MessageTemplate parsed;
  ASSERT_FALSE(MessageTemplate::parse(
      "hide={gpu.functions|pciback-hide} on {gpu.target} in {file:pciback-modprobe}, {{literal}}", {}, parsed));
  EXPECT_EQ(parsed.render_generic(), std::string("hide=<xen-pciback hide list of gpu.functions> on <gpu.target> in ") +
                                         kPcibackModprobe + ", {literal}");
}

// The planner's own choices, so a fix says what `fix` writes: softdep lines for the card's vendor, its bound drivers
// and its HDMI audio; dom0_mem= sized as core/fix sizes it (an eighth, rounded to 256 MiB, within 1-4 GiB).
TEST(RuleEngine, TemplateSoftdepAndDom0MemFormsWriteWhatThePlannerWrites) {
  const Json facts = Json::parse(R"({
    "gpu": {"amd": {"vendor_id": "0x1002", "functions": ["0000:03:00.0", "0000:03:00.1"],
                    "function_details": [{"bdf": "0000:03:00.0", "driver": "pciback"},
                                         {"bdf": "0000:03:00.1", "driver": null}]},
            "nvidia": {"vendor_id": "0x10de", "functions": ["0000:01:00.0"],
                       "function_details": [{"bdf": "0000:01:00.0", "driver": "nvidia"}]}},
    "xen": {"small": 10240, "large": 65536, "tiny": 2048}})");
  EXPECT_EQ(render("add {gpu.amd|pciback-softdeps}", facts),
            "add `softdep amdgpu pre: xen-pciback`, `softdep radeon pre: xen-pciback` and "
            "`softdep snd_hda_intel pre: xen-pciback`");
  EXPECT_EQ(render("add {gpu.nvidia|pciback-softdeps}", facts),
            "add `softdep nouveau pre: xen-pciback` and `softdep nvidia pre: xen-pciback`");
  EXPECT_EQ(render("{xen.small|dom0-mem}", facts), "dom0_mem=1280M,max:1280M");
  EXPECT_EQ(render("{xen.large|dom0-mem}", facts), "dom0_mem=4096M,max:4096M");
  EXPECT_EQ(render("{xen.tiny|dom0-mem}", facts), "dom0_mem=1024M,max:1024M");
}

// A fix that names a value the host lacks would print "?" or a stand-in where the user expects something to paste:
// it is left out, and the rule's other fixes still show. Messages keep their "?".
TEST(RuleEngine, AFixNamingAMissingValueIsLeftOut) {
  FactStore facts;
  facts.set("cpu.vmx", false, "test");
  facts.set("cpu.list", Json::array(), "test");
  std::string yaml = "kind: rules\nrules:\n  - id: cpu.t\n    title: T\n    severity: info\n    check: $cpu.vmx\n"
                     "    message: {fail: \"no VT-x on {cpu.brand}\"}\n"
                     "    fix:\n      - \"`modprobe {cpu.module}`\"\n      - \"hide `{cpu.list|pciback-hide}`\"\n"
                     "      - \"Enable VT-x in the firmware setup\"\n";
  auto results = testing::run_rules(yaml, facts);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].message, "no VT-x on ?");
  ASSERT_EQ(results[0].fixes.size(), 1u);
  EXPECT_EQ(results[0].fixes[0].text, "Enable VT-x in the firmware setup");
  facts.set("cpu.module", "msr", "test");
  facts.set("cpu.list", Json::array({"0000:03:00.0"}), "test");
  results = testing::run_rules(yaml, facts);
  ASSERT_EQ(results[0].fixes.size(), 3u);
  EXPECT_EQ(results[0].fixes[0].text, "`modprobe msr`");
  EXPECT_EQ(results[0].fixes[1].text, "hide `(0000:03:00.0)`");
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
