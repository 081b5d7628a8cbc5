// The cpu plugin end to end: the staged ptdoctor-cpu.so run on fixture hosts and small temporary trees.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "capture_files.hpp"
#include "plugin_harness.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::cpu {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ptdoctor::testing::fact;
using ptdoctor::testing::fixture_host;
using ptdoctor::testing::run_plugins;
using ptdoctor::testing::TempTree;

std::vector<std::string> messages(const engine::Collection& collection) {
  std::vector<std::string> out;
  for (const auto& diagnostic : collection.diagnostics) out.push_back(diagnostic.message);
  return out;
}

std::string reason(const engine::Collection& collection, const std::string& path) {
  return collection.facts.unknown_reason(path).value_or("<known>");
}

TEST(CpuPlugin, GuideHostIsAXenDom0WithVtxHidden) {
  auto collection = run_plugins({"cpu"}, fixture_host("guide-ich10"));
  EXPECT_EQ(fact(collection, "cpu.vendor"), "GenuineIntel");
  EXPECT_EQ(fact(collection, "cpu.family"), 6);
  EXPECT_EQ(fact(collection, "cpu.model"), 0x1a);
  EXPECT_EQ(fact(collection, "cpu.brand"), "Intel(R) Core(TM) i7 CPU 920 @ 2.67GHz");
  EXPECT_EQ(fact(collection, "cpu.hypervisor.present"), true);
  EXPECT_EQ(fact(collection, "cpu.hypervisor.vendor"), "XenVMMXenVMM");
  EXPECT_EQ(fact(collection, "cpu.hypervisor.name"), "Xen");
  EXPECT_EQ(fact(collection, "cpu.vmx"), false);
  EXPECT_EQ(fact(collection, "cpu.cpuinfo.flags.vmx"), false);
  EXPECT_EQ(fact(collection, "cpu.cpuinfo.flags.hypervisor"), true);
  // Never "not supported" under Xen: the xen rules judge VT-x from xl info.
  EXPECT_TRUE(fact(collection, "cpu.virt.supported").is_null());
  EXPECT_THAT(reason(collection, "cpu.virt.supported"), HasSubstr("xl info"));
  EXPECT_EQ(fact(collection, "cpu.disagreements"), Json::array());
  // Nehalem has no CPUID faulting: user-space CPUID runs through Xen's AND masks, which clear VMX but cannot set
  // the hypervisor bit, and leaf 0x40000000 is the bare CPU's; Xen is known from /sys/hypervisor.
  EXPECT_THAT(fact(collection, "cpu.expected_differences").dump(), HasSubstr("without CPUID faulting"));
  EXPECT_THAT(fact(collection, "cpu.source").get<std::string>(), HasSubstr(".ptdoctor/capture/cpuid.txt"));
  EXPECT_THAT(messages(collection), IsEmpty());
}

TEST(CpuPlugin, AmdXenDom0SeesXenThroughTheMaskedHypervisorBit) {
  // Zen 2 under Xen 4.17: no CPUID faulting, so user-space CPUID runs through AMD's masking MSRs, which Xen sets
  // as overrides with the hypervisor bit on and SVM off; leaf 0x40000000 is empty, /sys/hypervisor names Xen.
  auto collection = run_plugins({"cpu"}, fixture_host("ryzen-x570-xen417"));
  EXPECT_EQ(fact(collection, "cpu.vendor"), "AuthenticAMD");
  EXPECT_EQ(fact(collection, "cpu.svm"), false);
  EXPECT_EQ(fact(collection, "cpu.cpuinfo.flags.svm"), false);
  EXPECT_EQ(fact(collection, "cpu.hypervisor.present"), true);
  EXPECT_EQ(fact(collection, "cpu.hypervisor.name"), "Xen");
  EXPECT_EQ(fact(collection, "cpu.virt.technology"), "AMD-V");
  EXPECT_TRUE(fact(collection, "cpu.virt.supported").is_null());
  EXPECT_EQ(fact(collection, "cpu.disagreements"), Json::array());
  EXPECT_EQ(fact(collection, "cpu.expected_differences"), Json::array());
  EXPECT_THAT(messages(collection), IsEmpty());
}

TEST(CpuPlugin, ModernIntelHostWithVtxEnabledInFirmware) {
  auto collection = run_plugins({"cpu"}, fixture_host("intel-modern"));
  EXPECT_EQ(fact(collection, "cpu.brand"), "Intel(R) Core(TM) i7-9700K CPU @ 3.60GHz");
  EXPECT_EQ(fact(collection, "cpu.vmx"), true);
  EXPECT_EQ(fact(collection, "cpu.hypervisor.present"), false);
  EXPECT_EQ(fact(collection, "cpu.msr.feature_control.raw"), "0x5");
  EXPECT_EQ(fact(collection, "cpu.msr.feature_control.locked"), true);
  EXPECT_EQ(fact(collection, "cpu.msr.feature_control.vmx_outside_smx"), true);
  EXPECT_THAT(reason(collection, "cpu.msr.vm_cr"), HasSubstr("not an AMD-compatible CPU"));
  EXPECT_EQ(fact(collection, "cpu.virt.technology"), "VT-x");
  EXPECT_EQ(fact(collection, "cpu.virt.supported"), true);
  EXPECT_EQ(fact(collection, "cpu.virt.firmware_disabled"), false);
  EXPECT_EQ(fact(collection, "cpu.disagreements"), Json::array());
  EXPECT_THAT(messages(collection), IsEmpty());
}

TEST(CpuPlugin, AmdDesktopWithSvmAndNoMsrInTheRoot) {
  auto collection = run_plugins({"cpu"}, fixture_host("amd-desktop"));
  EXPECT_EQ(fact(collection, "cpu.vendor"), "AuthenticAMD");
  EXPECT_EQ(fact(collection, "cpu.family"), 0x17);
  EXPECT_EQ(fact(collection, "cpu.svm"), true);
  EXPECT_EQ(fact(collection, "cpu.virt.technology"), "AMD-V");
  EXPECT_EQ(fact(collection, "cpu.virt.supported"), true);
  EXPECT_THAT(reason(collection, "cpu.msr.vm_cr"), HasSubstr("not in this root"));
  EXPECT_THAT(reason(collection, "cpu.virt.firmware_disabled"), HasSubstr("not in this root"));
}

TEST(CpuPlugin, ServerOnBareMetalHasVtxEnabled) {
  auto collection = run_plugins({"cpu"}, fixture_host("server-multi-drhd"));
  EXPECT_EQ(fact(collection, "cpu.brand"), "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz");
  EXPECT_EQ(fact(collection, "cpu.vmx"), true);
  EXPECT_EQ(fact(collection, "cpu.virt.firmware_disabled"), false);  // from the 'vmx flags' line
  EXPECT_EQ(fact(collection, "cpu.hypervisor.present"), false);
  EXPECT_EQ(fact(collection, "cpu.hypervisor.name"), "none");
}

TEST(CpuPlugin, Xen419Dom0FixturesAreXenNotNestedGuests) {
  for (const char* host : {"dual-gpu", "xhci-only", "ehci-keyboard"}) {
    auto collection = run_plugins({"cpu"}, fixture_host(host));
    EXPECT_EQ(fact(collection, "cpu.hypervisor.name"), "Xen") << host;
    EXPECT_EQ(fact(collection, "cpu.vmx"), false) << host;
    EXPECT_TRUE(fact(collection, "cpu.virt.supported").is_null()) << host;
    EXPECT_EQ(fact(collection, "cpu.disagreements"), Json::array()) << host;
  }
}

TEST(CpuPlugin, BrokenHostGivesDiagnosticsAndUnknownsNotACrash) {
  auto collection = run_plugins({"cpu"}, fixture_host("broken"));
  ASSERT_EQ(collection.runs.size(), 1u);
  EXPECT_TRUE(collection.runs[0].ok) << collection.runs[0].error;
  auto all = messages(collection);
  EXPECT_THAT(all, Contains(AllOf(HasSubstr("cpuid.txt: line 1"), HasSubstr("heading"))));
  EXPECT_THAT(all, Contains(AllOf(HasSubstr("cpuid.txt: line 3"), HasSubstr("not a `cpuid -r` leaf line"))));
  EXPECT_THAT(all, Contains(AllOf(HasSubstr("cpuid.txt: line 4"), HasSubstr("line truncated?"))));
  EXPECT_THAT(all, Contains(HasSubstr("/proc/cpuinfo: line 1: expected 'name : value'")));
  EXPECT_THAT(all, Contains(HasSubstr("/proc/cpuinfo has no processor fields")));
  EXPECT_EQ(fact(collection, "cpu.vendor"), "GenuineIntel");  // leaf 0 parsed
  EXPECT_TRUE(fact(collection, "cpu.family").is_null());
  EXPECT_THAT(reason(collection, "cpu.family"), HasSubstr("leaf 0x00000001 is missing"));
  EXPECT_THAT(reason(collection, "cpu.brand"), HasSubstr("leaf 0x80000002 is missing"));
  EXPECT_TRUE(fact(collection, "cpu.virt.supported").is_null());
}

TEST(CpuPlugin, EmptyHostIsUnknownWithReasons) {
  auto collection = run_plugins({"cpu"}, fixture_host("empty"));
  EXPECT_TRUE(collection.runs.at(0).ok);
  EXPECT_THAT(reason(collection, "cpu.source"), HasSubstr("cpuid -r >"));
  EXPECT_THAT(reason(collection, "cpu.vmx"), HasSubstr("/proc/cpuinfo"));
  EXPECT_THAT(reason(collection, "cpu.hypervisor.present"), HasSubstr("no CPUID capture"));
  EXPECT_THAT(reason(collection, "cpu.msr.feature_control"), HasSubstr("vendor \"\""));
}

TEST(CpuPlugin, ThisMachinesRealCaptureIsAGuestOfBhyve) {
  TempTree tree;
  tree.write("/.ptdoctor/capture/cpuid.txt", testing::capture_file("this-machine.txt"));
  auto collection = run_plugins({"cpu"}, tree.path());
  EXPECT_EQ(fact(collection, "cpu.hypervisor.present"), true);
  EXPECT_EQ(fact(collection, "cpu.hypervisor.name"), "bhyve");
  EXPECT_EQ(fact(collection, "cpu.virt.supported"), false);
  EXPECT_EQ(fact(collection, "cpu.virt.problem"),
            "bhyve does not expose VT-x or AMD-V to this guest (nested virtualisation is off)");
}

TEST(CpuPlugin, KvmAndXenGuestCaptures) {
  TempTree kvm;
  kvm.write("/.ptdoctor/capture/cpuid.txt", testing::capture_file("kvm-guest.txt"));
  EXPECT_EQ(fact(run_plugins({"cpu"}, kvm.path()), "cpu.hypervisor.name"), "KVM");
  TempTree xen;
  xen.write("/.ptdoctor/capture/cpuid.txt", testing::capture_file("xen-hvm-guest.txt"));
  EXPECT_EQ(fact(run_plugins({"cpu"}, xen.path()), "cpu.hypervisor.name"), "Xen");
}

TEST(CpuPlugin, XenPvDom0WithoutCpuidFaultingIsRecognisedFromSysHypervisor) {
  // User-space CPUID reaches the bare CPU (no hypervisor bit, VMX set); the dom0 kernel knows it runs on Xen.
  TempTree tree;
  tree.write("/.ptdoctor/capture/cpuid.txt", testing::capture_file("intel-vmx.txt"));
  tree.write("/sys/hypervisor/type", "xen\n");
  tree.write("/proc/cpuinfo", "processor : 0\nvendor_id : GenuineIntel\ncpu family : 6\nmodel : 158\n"
                              "stepping : 13\nflags : fpu hypervisor\n");
  auto collection = run_plugins({"cpu"}, tree.path());
  EXPECT_EQ(fact(collection, "cpu.hypervisor.present"), true);
  EXPECT_EQ(fact(collection, "cpu.hypervisor.name"), "Xen");
  EXPECT_EQ(fact(collection, "cpu.vmx"), true);
  EXPECT_TRUE(fact(collection, "cpu.virt.firmware_disabled").is_null());  // Xen hid the flag, not the firmware
  // Both differences are Xen's doing: said as expected, not counted as disagreements.
  EXPECT_EQ(fact(collection, "cpu.disagreements"), Json::array());
  EXPECT_EQ(fact(collection, "cpu.expected_differences").size(), 2u);
}

TEST(CpuPlugin, VtxLockedOffInFirmware) {
  TempTree tree;
  tree.write("/.ptdoctor/capture/cpuid.txt", testing::capture_file("intel-vmx.txt"));
  tree.write("/dev/cpu/0/msr", testing::msr_device_bytes(0x3a, 0x1));
  auto collection = run_plugins({"cpu"}, tree.path());
  EXPECT_EQ(fact(collection, "cpu.msr.feature_control.locked"), true);
  EXPECT_EQ(fact(collection, "cpu.msr.feature_control.vmx_outside_smx"), false);
  EXPECT_EQ(fact(collection, "cpu.virt.supported"), true);
  EXPECT_EQ(fact(collection, "cpu.virt.firmware_disabled"), true);
}

TEST(CpuPlugin, CaptureWithOnlyGarbageSaysSo) {
  TempTree tree;
  tree.write("/.ptdoctor/capture/cpuid.txt", "cpuid: command not found\n");
  tree.write("/proc/cpuinfo", "processor : 0\nvendor_id : GenuineIntel\nflags : fpu vmx\n");
  auto collection = run_plugins({"cpu"}, tree.path());
  EXPECT_THAT(messages(collection), Contains(HasSubstr("holds no CPUID leaves")));
  EXPECT_EQ(fact(collection, "cpu.vmx"), true);  // from /proc/cpuinfo
  EXPECT_THAT(reason(collection, "cpu.source"), HasSubstr("holds no CPUID leaves"));
}

}  // namespace
}  // namespace ptdoctor::cpu
