#include "cpu_assessment.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "capture_files.hpp"

namespace ptdoctor::cpu {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

CpuInputs with_capture(const std::string& name) {
  CpuInputs in;
  in.cpuid_source = "cpuid capture " + name;
  in.cpuid = decode_cpuid(parse_cpuid_capture(testing::capture_file(name), name).dump, in.cpuid_source);
  in.msr_unknown_reason = "MSR not read (test)";
  return in;
}

CpuinfoFacts cpuinfo(const std::string& vendor, int family, int model, int stepping, const std::string& flags,
                     bool vmx_flags_line = false) {
  return parse_cpuinfo("vendor_id : " + vendor + "\ncpu family : " + std::to_string(family) + "\nmodel : " +
                           std::to_string(model) + "\nstepping : " + std::to_string(stepping) + "\nflags : " +
                           flags + "\n" + (vmx_flags_line ? "vmx flags : ept\n" : ""),
                       "/proc/cpuinfo");
}

const Json& value(const FactMap& facts, const std::string& path) {
  static const Json kMissing = "<missing>";
  auto it = facts.find(path);
  return it == facts.end() ? kMissing : it->second.value;
}

std::string reason(const FactMap& facts, const std::string& path) {
  auto it = facts.find(path);
  return it == facts.end() ? "<missing>" : it->second.unknown_reason;
}

TEST(CpuAssessment, BareMetalIntelWithVtxOn) {
  CpuInputs in = with_capture("intel-vmx.txt");
  in.cpuinfo = cpuinfo("GenuineIntel", 6, 158, 13, "fpu vmx smx", true);
  FactMap facts = assess_cpu(in);
  EXPECT_EQ(value(facts, "vendor"), "GenuineIntel");
  EXPECT_EQ(value(facts, "vmx"), true);
  EXPECT_EQ(value(facts, "hypervisor.present"), false);
  EXPECT_EQ(value(facts, "hypervisor.name"), "none");
  EXPECT_EQ(value(facts, "hypervisor.vendor"), "");
  EXPECT_EQ(value(facts, "virt.technology"), "VT-x");
  EXPECT_EQ(value(facts, "virt.supported"), true);
  EXPECT_EQ(value(facts, "virt.firmware_disabled"), false);
  EXPECT_THAT(value(facts, "virt.firmware_evidence").get<std::string>(), HasSubstr("'vmx flags' line"));
  EXPECT_EQ(value(facts, "disagreements"), Json::array());
  EXPECT_EQ(value(facts, "cpuinfo.flags.vmx"), true);
}

TEST(CpuAssessment, FirmwareDisabledVtxFromTheMsr) {
  CpuInputs in = with_capture("intel-vmx.txt");
  in.cpuinfo = cpuinfo("GenuineIntel", 6, 158, 13, "fpu vmx smx");  // an old kernel keeps the flag
  in.feature_control = decode_feature_control(0x1);
  FactMap facts = assess_cpu(in);
  EXPECT_EQ(value(facts, "virt.supported"), true);
  EXPECT_EQ(value(facts, "virt.firmware_disabled"), true);
  EXPECT_EQ(value(facts, "virt.firmware_evidence"),
            "IA32_FEATURE_CONTROL (MSR 0x3a) = 0x1: locked with VMX outside SMX off");
}

TEST(CpuAssessment, FirmwareDisabledVtxFromTheKernelHidingTheFlag) {
  CpuInputs in = with_capture("intel-vmx.txt");
  in.cpuinfo = cpuinfo("GenuineIntel", 6, 158, 13, "fpu smx");
  FactMap facts = assess_cpu(in);
  EXPECT_EQ(value(facts, "virt.firmware_disabled"), true);
  ASSERT_THAT(value(facts, "disagreements"), SizeIs(1));
  EXPECT_THAT(value(facts, "disagreements")[0].get<std::string>(),
              HasSubstr("CPUID reports VMX (VT-x) but /proc/cpuinfo does not list the vmx flag: Linux 5.6+"));
}

TEST(CpuAssessment, FirmwareStateUnknownKeepsTheMsrReason) {
  CpuInputs in = with_capture("amd-svm.txt");
  in.msr_unknown_reason = "MSR 0xc0010114 via /dev/cpu/0/msr: not root (run ptdoctor as root to read it)";
  FactMap facts = assess_cpu(in);
  EXPECT_EQ(value(facts, "virt.technology"), "AMD-V");
  EXPECT_EQ(value(facts, "virt.supported"), true);
  EXPECT_EQ(reason(facts, "virt.firmware_disabled"), in.msr_unknown_reason);
  EXPECT_THAT(reason(facts, "disagreements"), HasSubstr("nothing to compare"));
}

TEST(CpuAssessment, AmdSvmDisabledInFirmware) {
  CpuInputs in = with_capture("amd-svm.txt");
  in.vm_cr = decode_vm_cr(0x18);
  FactMap facts = assess_cpu(in);
  EXPECT_EQ(value(facts, "virt.firmware_disabled"), true);
  EXPECT_THAT(value(facts, "virt.firmware_evidence").get<std::string>(), HasSubstr("SVMDIS set"));
}

TEST(CpuAssessment, XenHidesVtxFromDom0SoSupportIsUnknownNotFalse) {
  CpuInputs in = with_capture("xen-hvm-guest.txt");
  FactMap facts = assess_cpu(in);
  EXPECT_EQ(value(facts, "hypervisor.name"), "Xen");
  EXPECT_EQ(value(facts, "hypervisor.signatures"), Json({"Microsoft Hv", "XenVMMXenVMM"}));
  EXPECT_TRUE(value(facts, "virt.supported").is_null());
  EXPECT_THAT(reason(facts, "virt.supported"), HasSubstr("xl info"));
  EXPECT_THAT(reason(facts, "virt.problem"), HasSubstr("xl info"));
}

TEST(CpuAssessment, XenDisagreementIsExplainedAsExpected) {
  CpuInputs in = with_capture("intel-vmx.txt");
  in.sys_hypervisor = "xen";  // PV dom0 without CPUID faulting: raw CPUID, kernel knows Xen
  in.cpuinfo = cpuinfo("GenuineIntel", 6, 158, 13, "fpu hypervisor");
  FactMap facts = assess_cpu(in);
  EXPECT_EQ(value(facts, "hypervisor.present"), true);
  EXPECT_EQ(value(facts, "hypervisor.name"), "Xen");
  EXPECT_EQ(value(facts, "virt.supported"), true);
  // What Xen does on purpose is said, but is no disagreement: cpu.sources-agree passes in every such dom0.
  EXPECT_EQ(value(facts, "disagreements"), Json::array());
  const Json& sentences = value(facts, "expected_differences");
  ASSERT_THAT(sentences, SizeIs(2));
  EXPECT_THAT(sentences[0].get<std::string>(), HasSubstr("expected under Xen"));
  EXPECT_THAT(sentences[1].get<std::string>(), HasSubstr("CPUID does not report a hypervisor but /proc/cpuinfo lists the hypervisor flag: expected in a Xen PV dom0"));
  EXPECT_NE(value(facts, "virt.firmware_disabled"), true);  // Xen hid it: not evidence of firmware
}

// The Xen lab's dom0 under QEMU's TCG: the raw CPUID instruction reaches QEMU ("TCGTCGTCGTCG" in leaf 0x40000000,
// SVM set) while the kernel runs on Xen and hides svm from /proc/cpuinfo. Once this was reported as "the kernel
// hid it (firmware setting, a clearcpuid= boot option, or a hypervisor)" and failed cpu.sources-agree.
TEST(CpuAssessment, XenUnderAnotherHypervisorStillExplainsTheHiddenFlag) {
  CpuInputs in = with_capture("amd-svm.txt");
  in.cpuid->hypervisor = true;
  in.cpuid->hypervisor_vendor = "TCGTCGTCGTCG";
  in.cpuid->hypervisor_name = "QEMU TCG";
  in.sys_hypervisor = "xen";
  in.cpuinfo = cpuinfo("AuthenticAMD", 23, 113, 0, "fpu hypervisor");
  FactMap facts = assess_cpu(in);
  EXPECT_EQ(value(facts, "hypervisor.name"), "QEMU TCG");
  EXPECT_EQ(value(facts, "disagreements"), Json::array());
  const Json& sentences = value(facts, "expected_differences");
  ASSERT_THAT(sentences, SizeIs(1));
  EXPECT_THAT(sentences[0].get<std::string>(),
              HasSubstr("CPUID reports SVM (AMD-V) but /proc/cpuinfo does not list the svm flag: expected under Xen"));
}

TEST(CpuAssessment, GuestOfKvmWithoutNestedVirtualisation) {
  CpuInputs in = with_capture("kvm-guest.txt");
  FactMap facts = assess_cpu(in);
  EXPECT_EQ(value(facts, "hypervisor.present"), true);
  EXPECT_EQ(value(facts, "hypervisor.name"), "KVM");
  EXPECT_EQ(value(facts, "virt.supported"), false);
  EXPECT_EQ(value(facts, "virt.problem"),
            "KVM does not expose VT-x or AMD-V to this guest (nested virtualisation is off)");
  EXPECT_THAT(reason(facts, "virt.firmware_disabled"), HasSubstr("not applicable"));
}

TEST(CpuAssessment, BareMetalCpuWithoutVirtualisation) {
  CpuInputs in = with_capture("intel-vmx.txt");
  in.cpuid->vmx = false;
  FactMap facts = assess_cpu(in);
  EXPECT_EQ(value(facts, "virt.supported"), false);
  EXPECT_THAT(value(facts, "virt.problem").get<std::string>(),
              HasSubstr("Intel(R) Core(TM) i7-9700K CPU @ 3.60GHz reports neither VMX (VT-x) nor SVM"));
}

TEST(CpuAssessment, CpuinfoAloneStillGivesTheBasics) {
  CpuInputs in;
  in.cpuid_unknown_reason = "no CPUID capture";
  in.cpuinfo = cpuinfo("AuthenticAMD", 23, 113, 0, "fpu svm");
  FactMap facts = assess_cpu(in);
  EXPECT_EQ(value(facts, "vendor"), "AuthenticAMD");
  EXPECT_EQ(facts.at("vendor").source, "/proc/cpuinfo vendor_id");
  EXPECT_EQ(value(facts, "family"), 23);
  EXPECT_EQ(value(facts, "svm"), true);
  EXPECT_EQ(value(facts, "hypervisor.present"), false);
  EXPECT_THAT(reason(facts, "brand"), HasSubstr("no CPUID capture"));
  EXPECT_THAT(reason(facts, "disagreements"), HasSubstr("nothing to compare: no CPUID capture"));
}

TEST(CpuAssessment, NothingKnownGivesReasonsEverywhere) {
  CpuInputs in;
  in.cpuid_unknown_reason = "no CPUID capture";
  in.cpuinfo_unknown_reason = "/proc/cpuinfo: No such file or directory";
  FactMap facts = assess_cpu(in);
  for (const char* path : {"vendor", "family", "vmx", "svm", "hypervisor.present", "hypervisor.name",
                           "virt.supported", "virt.technology", "virt.firmware_disabled", "cpuinfo.flags.vmx"}) {
    EXPECT_TRUE(value(facts, path).is_null()) << path;
    EXPECT_THAT(reason(facts, path), ::testing::Not(IsEmpty())) << path;
  }
  EXPECT_THAT(reason(facts, "vmx"), HasSubstr("No such file"));
}

TEST(CpuAssessment, CaptureFromAnotherMachineIsFlagged) {
  CpuInputs in = with_capture("amd-svm.txt");
  in.cpuinfo = cpuinfo("GenuineIntel", 6, 158, 13, "fpu vmx", true);
  FactMap facts = assess_cpu(in);
  const Json& sentences = value(facts, "disagreements");
  ASSERT_THAT(sentences, SizeIs(4));
  EXPECT_THAT(sentences[0].get<std::string>(), HasSubstr("seems to come from another machine"));
  EXPECT_THAT(sentences[1].get<std::string>(), HasSubstr("family 23 model 113 stepping 0 but /proc/cpuinfo family 6"));
  EXPECT_THAT(sentences[2].get<std::string>(), HasSubstr("taken on this machine"));
}

}  // namespace
}  // namespace ptdoctor::cpu
