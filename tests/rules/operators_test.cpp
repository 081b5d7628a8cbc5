// Every operator with a true, a false and an unknown case, plus the type mistakes that must be errors.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

namespace ptdoctor::testing {
namespace {

FactStore sample_facts() {
  FactStore facts;
  facts.set("cpu.vmx", true, "test");
  facts.set("cpu.svm", false, "test");
  facts.set("cpu.family", 6, "test");
  facts.set("cpu.ratio", 1.5, "test");
  facts.set("cpu.vendor", "GenuineIntel", "test");
  facts.set("cpu.flags", Json::array({"vmx", "sse", "$odd"}), "test");
  facts.set("pci.devices", Json::array({{{"bdf", "0000:00:02.0"}}, {{"bdf", "0000:01:00.0"}}}), "test");
  facts.set("usb.controllers", Json::array(), "test");
  facts.set("xen.version", "4.17.5", "test");
  facts.set("xen.major", 4, "test");
  facts.set("kernel.cmdline.raw", "quiet intel_iommu=on", "test");
  facts.set("kernel.cmdline.params", {{"xen-pciback.hide", Json::array({"(0000:01:00.0)"})}}, "test");
  facts.set("kernel.config", {{"CONFIG_XEN", "y"}}, "test");
  facts.set_unknown("acpi.dmar", "not root: /sys/firmware/acpi/tables/DMAR is readable by root only");
  facts.set("gpu.target", nullptr, "test");
  return facts;
}

struct Case {
  const char* check;
  RuleStatus expected;
};

class Operators : public ::testing::TestWithParam<Case> {};

TEST_P(Operators, GiveTheDocumentedStatus) {
  FactStore facts = sample_facts();
  EXPECT_EQ(status_of(GetParam().check, facts), GetParam().expected) << GetParam().check;
}

constexpr RuleStatus kPass = RuleStatus::kPass;
constexpr RuleStatus kFail = RuleStatus::kFail;
constexpr RuleStatus kUnknown = RuleStatus::kUnknown;
constexpr RuleStatus kError = RuleStatus::kError;

INSTANTIATE_TEST_SUITE_P(
    RuleEngine, Operators,
    ::testing::Values(
        // Bare fact references and literals.
        Case{"$cpu.vmx", kPass}, Case{"$cpu.svm", kFail}, Case{"$cpu.missing", kUnknown}, Case{"$cpu.family", kError},
        Case{"true", kPass}, Case{"false", kFail},
        // exists: present and not null; unknown only when marked unknown.
        Case{"{exists: $cpu.vendor}", kPass}, Case{"{exists: $cpu.nothing}", kFail},
        Case{"{exists: $acpi.dmar.present}", kUnknown}, Case{"{exists: $gpu.target}", kFail},
        // empty
        Case{"{empty: $usb.controllers}", kPass}, Case{"{empty: $pci.devices}", kFail},
        Case{"{empty: $usb.missing}", kUnknown}, Case{"{empty: $cpu.family}", kError},
        // equals / not_equals
        Case{"{equals: [$cpu.vendor, GenuineIntel]}", kPass}, Case{"{equals: [$cpu.vendor, AuthenticAMD]}", kFail},
        Case{"{equals: [$cpu.model, 1]}", kUnknown}, Case{"{equals: [$cpu.family, 6.0]}", kPass},
        Case{"{equals: [$gpu.target, null]}", kUnknown},
        Case{"{not_equals: [$cpu.vendor, AuthenticAMD]}", kPass}, Case{"{not_equals: [$cpu.family, 6]}", kFail},
        Case{"{not_equals: [$acpi.dmar.present, true]}", kUnknown},
        // in
        Case{"{in: [$cpu.vendor, [GenuineIntel, AuthenticAMD]]}", kPass}, Case{"{in: [$cpu.family, [15, 16]]}", kFail},
        Case{"{in: [vmx, $cpu.flags]}", kPass}, Case{"{in: [svm, $cpu.flags]}", kFail},
        Case{"{in: [vmx, $cpu.nothing]}", kUnknown}, Case{"{in: [vmx, $cpu.vendor]}", kError},
        Case{"{in: [\"$$odd\", $cpu.flags]}", kPass},
        // contains: list, string, map keys
        Case{"{contains: [$cpu.flags, sse]}", kPass}, Case{"{contains: [$cpu.flags, avx]}", kFail},
        Case{"{contains: [$kernel.cmdline.raw, intel_iommu=on]}", kPass},
        Case{"{contains: [$kernel.cmdline.raw, amd_iommu]}", kFail},
        Case{"{contains: [$kernel.cmdline.params, xen-pciback.hide]}", kPass},
        Case{"{contains: [$kernel.cmdline.missing, x]}", kUnknown}, Case{"{contains: [$cpu.family, 6]}", kError},
        Case{"{contains: [$kernel.cmdline.raw, 6]}", kError},
        // numbers
        Case{"{gt: [$cpu.family, 5]}", kPass}, Case{"{gt: [$cpu.family, 6]}", kFail},
        Case{"{ge: [$cpu.family, 6]}", kPass}, Case{"{ge: [$cpu.family, 7]}", kFail},
        Case{"{lt: [$cpu.ratio, 2]}", kPass}, Case{"{lt: [$cpu.ratio, 1.5]}", kFail},
        Case{"{le: [$cpu.ratio, 1.5]}", kPass}, Case{"{le: [$cpu.family, 5.9]}", kFail},
        Case{"{gt: [$cpu.model, 5]}", kUnknown}, Case{"{gt: [$cpu.vendor, 5]}", kError},
        Case{"{lt: [$cpu.vmx, 5]}", kError},
        Case{"{gt: [{length: $pci.devices}, 1]}", kPass}, Case{"{gt: [{length: $usb.controllers}, 0]}", kFail},
        Case{"{gt: [{length: $usb.nothing}, 0]}", kUnknown}, Case{"{equals: [{length: $cpu.vendor}, 12]}", kPass},
        Case{"{gt: [{length: $cpu.family}, 0]}", kError},
        // versions
        Case{"{version_ge: [$xen.version, \"4.10\"]}", kPass}, Case{"{version_lt: [$xen.version, \"4.10\"]}", kFail},
        Case{"{version_gt: [$xen.version, \"4.17\"]}", kPass}, Case{"{version_gt: [$xen.version, \"4.17.5\"]}", kFail},
        Case{"{version_le: [$xen.version, \"4.17.5\"]}", kPass}, Case{"{version_le: [$xen.version, \"4.9\"]}", kFail},
        Case{"{version_eq: [$xen.version, \"4.17.5\"]}", kPass}, Case{"{version_eq: [$xen.version, \"4.17\"]}", kFail},
        Case{"{version_ge: [$xen.major, 4]}", kPass}, Case{"{version_ge: [$xen.missing, \"4.0\"]}", kUnknown},
        Case{"{version_ge: [$cpu.flags, \"4.0\"]}", kError},
        // matches (search, ECMAScript)
        Case{"{matches: [$kernel.cmdline.raw, \"intel_iommu=(on|1)\"]}", kPass},
        Case{"{matches: [$kernel.cmdline.raw, \"^intel\"]}", kFail},
        Case{"{matches: [$kernel.cmdline.nothing, x]}", kUnknown}, Case{"{matches: [$cpu.family, \"6\"]}", kError},
        // all / any / not
        Case{"{all: [$cpu.vmx, {equals: [$cpu.family, 6]}]}", kPass}, Case{"{all: [$cpu.vmx, $cpu.svm]}", kFail},
        Case{"{all: [$cpu.vmx, $cpu.missing]}", kUnknown},
        Case{"{any: [$cpu.svm, $cpu.vmx]}", kPass}, Case{"{any: [$cpu.svm, false]}", kFail},
        Case{"{any: [$cpu.svm, $cpu.missing]}", kUnknown},
        Case{"{not: $cpu.svm}", kPass}, Case{"{not: $cpu.vmx}", kFail}, Case{"{not: $cpu.missing}", kUnknown},
        // some / every
        Case{"{some: {in: $pci.devices, as: d, check: {equals: [$d.bdf, \"0000:01:00.0\"]}}}", kPass},
        Case{"{some: {in: $pci.devices, as: d, check: {equals: [$d.bdf, \"0000:09:00.0\"]}}}", kFail},
        Case{"{some: {in: $pci.nothing, as: d, check: true}}", kUnknown},
        Case{"{some: {in: $usb.controllers, as: d, check: true}}", kFail},
        Case{"{some: {in: $pci.devices, as: d, check: {equals: [$d.driver, x]}}}", kUnknown},
        Case{"{every: {in: $pci.devices, as: d, check: {matches: [$d.bdf, \"^0000:\"]}}}", kPass},
        Case{"{every: {in: $pci.devices, as: d, check: {matches: [$d.bdf, \"^0000:00\"]}}}", kFail},
        Case{"{every: {in: $pci.devices, as: d, check: {exists: $d.driver}}}", kFail},
        Case{"{every: {in: $usb.controllers, as: d, check: false}}", kPass},
        Case{"{every: {in: [1, 2, 3], check: {gt: [$item, 0]}}}", kPass},
        Case{"{every: {in: $cpu.vendor, as: d, check: true}}", kError}));

TEST(RuleEngine, TypeErrorNamesTheOperandAndValue) {
  FactStore facts = sample_facts();
  auto results = run_rules(one_rule("{gt: [$cpu.vendor, 5]}"), facts);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, RuleStatus::kError);
  EXPECT_NE(results[0].message.find("gt: $cpu.vendor is 'GenuineIntel' (a string), not a number"), std::string::npos)
      << results[0].message;
  EXPECT_NE(results[0].message.find("t.yaml:4"), std::string::npos) << results[0].message;
}

TEST(RuleEngine, MissingFactMakesRuleUnknown) {
  FactStore facts;
  auto results = run_rules(one_rule("{equals: [$cpu.vendor, GenuineIntel]}"), facts);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, RuleStatus::kUnknown);
  EXPECT_NE(results[0].message.find("fact cpu.vendor was not collected"), std::string::npos) << results[0].message;
  EXPECT_TRUE(results[0].facts.contains("cpu.vendor"));
  EXPECT_TRUE(results[0].facts["cpu.vendor"].is_null());
}

TEST(RuleEngine, UnknownCarriesThePluginReasonFromAnAncestor) {
  FactStore facts = sample_facts();
  auto results = run_rules(one_rule("{equals: [$acpi.dmar.intr_remap, true]}"), facts);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, RuleStatus::kUnknown);
  EXPECT_NE(results[0].message.find("not root: /sys/firmware/acpi/tables/DMAR is readable by root only"),
            std::string::npos)
      << results[0].message;
}

TEST(RuleEngine, NullFactIsUnknownNotFail) {
  FactStore facts;
  facts.set("gpu.target", nullptr, "test");
  EXPECT_EQ(status_of("{not_equals: [$gpu.target, \"0000:01:00.0\"]}", facts), RuleStatus::kUnknown);
}

TEST(RuleEngine, RecordsEveryReferencedFactWithItsValue) {
  FactStore facts = sample_facts();
  auto results = run_rules(one_rule("{all: [$cpu.vmx, {gt: [$cpu.family, 5]}, {exists: $cpu.absent}]}"), facts);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].facts.to_json(), Json({{"cpu.vmx", true}, {"cpu.family", 6}, {"cpu.absent", nullptr}}));
}

TEST(RuleEngine, LargeUnsignedIntegersCompareExactly) {
  FactStore facts;
  facts.set("acpi.base", std::uint64_t{0xfffffffffffff000ULL}, "test");
  EXPECT_EQ(status_of("{gt: [$acpi.base, 18446744073709547519]}", facts), RuleStatus::kPass);
  EXPECT_EQ(status_of("{gt: [$acpi.base, 18446744073709547520]}", facts), RuleStatus::kFail);
}

TEST(RuleEngine, LongestMatchableTextDoesNotExhaustTheStack) {
  FactStore facts;
  facts.set("xen.dmesg.text", std::string(4096, 'a'), "test");
  // Anchored, so the (quadratic) retry from every start position does not slow the test down.
  EXPECT_EQ(status_of("{matches: [$xen.dmesg.text, \"^(a|b)*c\"]}", facts), RuleStatus::kFail);
  EXPECT_EQ(status_of("{matches: [$xen.dmesg.text, \"^(a|b)*$\"]}", facts), RuleStatus::kPass);
}

TEST(RuleEngine, OverlongTextIsAnErrorForMatches) {
  FactStore facts;
  facts.set("xen.dmesg.text", std::string(4097, 'a'), "test");
  EXPECT_EQ(status_of("{matches: [$xen.dmesg.text, \"(a|b)*c\"]}", facts), RuleStatus::kError);
}

}  // namespace
}  // namespace ptdoctor::testing
