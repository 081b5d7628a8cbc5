#include "cpuid_live.hpp"

#include <gtest/gtest.h>

#include "cpuid_decode.hpp"

namespace ptdoctor::cpu {
namespace {

// The CPUID instruction of the machine running the test (no file is read). Only what holds on every x86 CPU.
TEST(LiveCpuid, ReadsTheLeavesTheDecoderNeeds) {
#if defined(__x86_64__) || defined(__i386__)
  auto dump = read_live_cpuid();
  ASSERT_TRUE(dump) << dump.error().message;
  auto leaf0 = dump->get(0);
  ASSERT_TRUE(leaf0);
  CpuidFacts facts = decode_cpuid(*dump, "cpuid instruction");
  ASSERT_TRUE(facts.vendor);
  EXPECT_EQ(facts.vendor->size(), 12u);
  if (leaf0->eax >= 1) {
    EXPECT_TRUE(facts.family);
    EXPECT_TRUE(facts.vmx);
    EXPECT_TRUE(facts.hypervisor);
  }
  // Hypervisor ranges are read only when the hypervisor bit says they mean something.
  if (facts.hypervisor == false) {
    EXPECT_FALSE(dump->get(kHypervisorBase));
  }
  EXPECT_FALSE(dump->get(0x80000005));  // nothing beyond the brand string is read
#else
  auto dump = read_live_cpuid();
  ASSERT_FALSE(dump);
  EXPECT_EQ(dump.error().kind, ErrorKind::kUnsupported);
#endif
}

}  // namespace
}  // namespace ptdoctor::cpu
