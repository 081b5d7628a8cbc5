#include "cpuid_decode.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "capture_files.hpp"

namespace ptdoctor::cpu {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

CpuidFacts decode_capture(const std::string& name) {
  ParsedCapture parsed = parse_cpuid_capture(testing::capture_file(name), name);
  EXPECT_TRUE(parsed.problems.empty()) << parsed.problems.front();
  return decode_cpuid(parsed.dump, name);
}

CpuidRegisters with_signature(std::uint32_t eax, const char (&text)[13]) {
  auto word = [&](int i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(text[i])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(text[i + 1])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(text[i + 2])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(text[i + 3])) << 24;
  };
  return {eax, word(0), word(4), word(8)};
}

TEST(CpuidDecode, IntelHostWithVmx) {
  CpuidFacts facts = decode_capture("intel-vmx.txt");
  EXPECT_EQ(facts.vendor, "GenuineIntel");
  EXPECT_EQ(facts.family, 6);
  EXPECT_EQ(facts.model, 0x9e);
  EXPECT_EQ(facts.stepping, 0xd);
  EXPECT_EQ(facts.brand, "Intel(R) Core(TM) i7-9700K CPU @ 3.60GHz");
  EXPECT_EQ(facts.vmx, true);
  EXPECT_EQ(facts.svm, false);
  EXPECT_EQ(facts.hypervisor, false);
  EXPECT_FALSE(facts.hypervisor_name);
  EXPECT_THAT(facts.missing.at("hypervisor_vendor"), HasSubstr("ECX bit 31 is clear"));
}

TEST(CpuidDecode, AmdHostWithSvmUsesExtendedFamilyAndModel) {
  CpuidFacts facts = decode_capture("amd-svm.txt");
  EXPECT_EQ(facts.vendor, "AuthenticAMD");
  EXPECT_EQ(facts.family, 0x17);
  EXPECT_EQ(facts.model, 0x71);
  EXPECT_EQ(facts.stepping, 0);
  EXPECT_EQ(facts.brand, "AMD Ryzen 7 3700X 8-Core Processor");
  EXPECT_EQ(facts.svm, true);
  EXPECT_EQ(facts.vmx, false);
}

TEST(CpuidDecode, XenHvmGuestIsXenEvenBehindHyperVEnlightenments) {
  CpuidFacts facts = decode_capture("xen-hvm-guest.txt");
  EXPECT_EQ(facts.hypervisor, true);
  EXPECT_THAT(facts.hypervisor_signatures, ElementsAre("Microsoft Hv", "XenVMMXenVMM"));
  EXPECT_EQ(facts.hypervisor_vendor, "XenVMMXenVMM");
  EXPECT_EQ(facts.hypervisor_name, "Xen");
  EXPECT_EQ(facts.vmx, false);
}

TEST(CpuidDecode, KvmGuest) {
  CpuidFacts facts = decode_capture("kvm-guest.txt");
  EXPECT_EQ(facts.hypervisor_vendor, "KVMKVMKVM");  // trailing NULs dropped
  EXPECT_EQ(facts.hypervisor_name, "KVM");
  EXPECT_EQ(facts.family, 0x19);
  EXPECT_EQ(facts.svm, false);
}

TEST(CpuidDecode, RealCaptureOfThisMachine) {
  // A virtual machine (Oxide's bhyve-based hypervisor) on an AMD family 1Ah host: hypervisor bit set,
  // no VMX/SVM offered to the guest.
  CpuidFacts facts = decode_capture("this-machine.txt");
  EXPECT_EQ(facts.vendor, "AuthenticAMD");
  EXPECT_EQ(facts.family, 0x1a);
  EXPECT_EQ(facts.model, 0x02);
  EXPECT_EQ(facts.stepping, 1);
  EXPECT_EQ(facts.hypervisor, true);
  EXPECT_EQ(facts.hypervisor_vendor, "bhyve bhyve");
  EXPECT_EQ(facts.hypervisor_name, "bhyve");
  EXPECT_EQ(facts.brand, "Oxide Virtual Turin-like Processor");
  EXPECT_EQ(facts.vmx, false);
  EXPECT_EQ(facts.svm, false);
}

TEST(CpuidDecode, FamilyAndModelFollowTheExtendedFieldRules) {
  struct Case {
    std::uint32_t eax;
    int family, model, stepping;
  };
  for (const Case& c : {Case{0x000106a5, 6, 0x1a, 5},     // Nehalem: extended model applies to family 6
                        Case{0x00000f41, 0xf, 0x4, 1},     // Pentium 4: family 0xF plus extended family 0
                        Case{0x00a20f10, 0x19, 0x21, 0},   // Zen 3: family 0xF + 0xA
                        Case{0x00010543, 5, 0x4, 3}}) {    // family 5: extended model ignored
    CpuidDump dump;
    dump.put(1, 0, {c.eax, 0, 0, 0});
    CpuidFacts facts = decode_cpuid(dump, "t");
    EXPECT_EQ(facts.family, c.family) << std::hex << c.eax;
    EXPECT_EQ(facts.model, c.model) << std::hex << c.eax;
    EXPECT_EQ(facts.stepping, c.stepping) << std::hex << c.eax;
  }
}

TEST(CpuidDecode, BrandCollapsesPaddingSpaces) {
  CpuidDump dump;
  dump.put(0x80000000, 0, {0x80000008, 0, 0, 0});
  // "Intel(R) Core(TM) i7 CPU         920  @ 2.67GHz" as the i7-920 reports it.
  const std::uint32_t words[12] = {0x65746e49, 0x2952286c, 0x726f4320, 0x4d542865, 0x37692029, 0x55504320,
                                   0x20202020, 0x20202020, 0x30323920, 0x20402020, 0x37362e32, 0x007a4847};
  for (int i = 0; i < 3; ++i) dump.put(0x80000002 + i, 0, {words[4 * i], words[4 * i + 1], words[4 * i + 2], words[4 * i + 3]});
  EXPECT_EQ(decode_cpuid(dump, "t").brand, "Intel(R) Core(TM) i7 CPU 920 @ 2.67GHz");
}

TEST(CpuidDecode, MissingLeavesLeaveFieldsEmptyWithReasons) {
  CpuidDump dump;
  dump.put(0, 0, {0xd, 0x756e6547, 0x6c65746e, 0x49656e69});
  CpuidFacts facts = decode_cpuid(dump, "capture X");
  EXPECT_EQ(facts.vendor, "GenuineIntel");
  EXPECT_FALSE(facts.family);
  EXPECT_FALSE(facts.vmx);
  EXPECT_FALSE(facts.brand);
  EXPECT_FALSE(facts.svm);
  EXPECT_EQ(facts.missing.at("family"), "leaf 0x00000001 is missing from capture X");
  EXPECT_EQ(facts.missing.at("svm"), "leaf 0x80000001 is missing from capture X");
  EXPECT_EQ(facts.missing.at("brand"), "leaf 0x80000002 is missing from capture X");
  EXPECT_THAT(facts.missing.at("hypervisor_vendor"), HasSubstr("leaf 0x00000001"));
}

TEST(CpuidDecode, LeavesBeyondTheAdvertisedMaximumAreNotTrusted) {
  CpuidDump dump;
  dump.put(0x80000000, 0, {0x80000001, 0, 0, 0});
  dump.put(0x80000001, 0, {0, 0, 0x4, 0});
  dump.put(0x80000002, 0, {0x41414141, 0, 0, 0});  // stale data past the maximum
  CpuidFacts facts = decode_cpuid(dump, "t");
  EXPECT_EQ(facts.svm, true);
  EXPECT_FALSE(facts.brand);
  EXPECT_THAT(facts.missing.at("brand"), HasSubstr("has no brand string"));
}

TEST(CpuidDecode, HypervisorLeavesAreIgnoredWithoutTheHypervisorBit) {
  CpuidDump dump;
  dump.put(1, 0, {0x000906ed, 0, 0x20, 0});
  dump.put(0x40000000, 0, with_signature(0x40000001, "KVMKVMKVM\0\0\0"));
  CpuidFacts facts = decode_cpuid(dump, "t");
  EXPECT_EQ(facts.hypervisor, false);
  EXPECT_TRUE(facts.hypervisor_signatures.empty());
  EXPECT_FALSE(facts.hypervisor_name);
}

TEST(CpuidDecode, HypervisorNamesAndOddSignatures) {
  auto name_of = [](std::initializer_list<std::pair<std::uint32_t, CpuidRegisters>> ranges) {
    CpuidDump dump;
    dump.put(1, 0, {0, 0, 0x80000000u, 0});
    for (const auto& [base, registers] : ranges) dump.put(base, 0, registers);
    return decode_cpuid(dump, "t");
  };
  EXPECT_EQ(name_of({{0x40000000, with_signature(0x40000001, "TCGTCGTCGTCG")}}).hypervisor_name, "QEMU TCG");
  EXPECT_EQ(name_of({{0x40000000, with_signature(0x40000010, "VMwareVMware")}}).hypervisor_name, "VMware");
  EXPECT_EQ(name_of({{0x40000000, with_signature(0x40000005, "Microsoft Hv")}}).hypervisor_name, "Hyper-V");
  EXPECT_EQ(name_of({{0x40000000, with_signature(0x40000000, " lrpepyh  vr")}}).hypervisor_name, "Parallels");
  EXPECT_EQ(name_of({{0x40000000, with_signature(0, "FooBarBazQux")}}).hypervisor_name,
            "an unrecognised hypervisor (\"FooBarBazQux\")");
  // A second range must name a maximum leaf inside itself: KVM echoes the highest basic leaf for unknown leaves.
  CpuidFacts echoed = name_of({{0x40000000, with_signature(0x40000001, "KVMKVMKVM\0\0\0")},
                               {0x40000100, with_signature(0x00000016, "GenuineIntel")}});
  EXPECT_THAT(echoed.hypervisor_signatures, ElementsAre("KVMKVMKVM"));
  CpuidFacts silent = name_of({{0x40000000, {0, 0, 0, 0}}});
  EXPECT_FALSE(silent.hypervisor_vendor);
  EXPECT_THAT(silent.missing.at("hypervisor_vendor"), HasSubstr("carries no signature"));
  CpuidFacts absent = name_of({});
  EXPECT_THAT(absent.missing.at("hypervisor_vendor"), HasSubstr("leaf 0x40000000 is missing"));
}

}  // namespace
}  // namespace ptdoctor::cpu
