#include "xl_dmesg.hpp"

#include <gtest/gtest.h>

namespace ptdoctor::hostplug {
namespace {

constexpr const char* kIntel = R"( __  __            _  _    _ _____
(XEN) Xen version 4.17.3 (Debian 4.17.3+10-g091466ba55-1~deb12u1) (pkg-xen-devel@lists.alioth.debian.org)
(XEN) Intel VT-d Snoop Control not enabled.
(XEN) Intel VT-d Queued Invalidation enabled.
(XEN) I/O virtualisation enabled
(XEN) Interrupt remapping enabled
(XEN) HVM: VMX enabled
(XEN) HVM: Hardware Assisted Paging (HAP) detected
)";

TEST(XlDmesg, CompleteIntelLog) {
  XlDmesg dmesg = parse_xl_dmesg(kIntel);
  EXPECT_FALSE(dmesg.truncated);
  ASSERT_TRUE(dmesg.version_line);
  EXPECT_EQ(dmesg.version_line->rfind("Xen version 4.17.3", 0), 0u);
  EXPECT_EQ(dmesg.io_virtualisation, true);
  EXPECT_EQ(dmesg.interrupt_remapping, true);
  EXPECT_TRUE(dmesg.vtd);
  EXPECT_FALSE(dmesg.amd_vi);
  EXPECT_TRUE(dmesg.vmx);
  EXPECT_FALSE(dmesg.svm);
  EXPECT_TRUE(dmesg.hap);
  EXPECT_FALSE(dmesg.vmx_disabled_by_bios);
}

TEST(XlDmesg, DisabledStatesAndTimestampsAndAmd) {
  XlDmesg dmesg = parse_xl_dmesg("(XEN) [    0.000000] Xen version 4.19.1 (x)\n"
                                 "(XEN) [    1.000000] AMD-Vi: IOMMU 0 Enabled.\n"
                                 "(XEN) [    1.100000] I/O virtualisation disabled\n"
                                 "(XEN) [    1.200000] Interrupt remapping disabled\n"
                                 "(XEN) [    1.300000] CPU0: VMX disabled by BIOS.\n"
                                 "(XEN) [    1.400000] HVM: SVM enabled\n");
  EXPECT_FALSE(dmesg.truncated);
  EXPECT_TRUE(dmesg.amd_vi);
  EXPECT_EQ(dmesg.io_virtualisation, false);
  EXPECT_EQ(dmesg.interrupt_remapping, false);
  EXPECT_TRUE(dmesg.vmx_disabled_by_bios);
  EXPECT_TRUE(dmesg.svm);
}

TEST(XlDmesg, NoVersionLineNearTheTopMeansTruncated) {
  XlDmesg wrapped = parse_xl_dmesg("(XEN) d1v0: upcall vector f3\n(XEN) Freed 640kB init memory\n");
  EXPECT_TRUE(wrapped.truncated);
  EXPECT_FALSE(wrapped.io_virtualisation);
  EXPECT_FALSE(wrapped.interrupt_remapping);

  std::string late;
  for (int i = 0; i < 100; ++i) late += "(XEN) filler\n";
  late += "(XEN) Xen version 4.17.3\n";  // a version line deep in the log is not the boot banner's
  EXPECT_TRUE(parse_xl_dmesg(late).truncated);
  EXPECT_TRUE(parse_xl_dmesg("").truncated);
}

}  // namespace
}  // namespace ptdoctor::hostplug
