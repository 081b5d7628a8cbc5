#include "msr.hpp"

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absent_host_view.hpp"
#include "capture_files.hpp"
#include "host/rooted_host_view.hpp"
#include "temp_tree.hpp"
#include "unprivileged.hpp"

namespace ptdoctor::cpu {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<host::RootedHostView> offline_view(const ptdoctor::testing::TempTree& tree) {
  host::HostViewOptions options;
  options.live = false;
  auto view = host::RootedHostView::open(tree.path(), options);
  EXPECT_TRUE(view);
  return std::move(view.value());
}

TEST(Msr, FeatureControlSaysWhenFirmwareDisabledVmx) {
  EXPECT_FALSE(decode_feature_control(0x5).firmware_disabled());  // locked, VMX outside SMX on
  EXPECT_TRUE(decode_feature_control(0x1).firmware_disabled());   // locked, VMX off
  EXPECT_TRUE(decode_feature_control(0x3).firmware_disabled());   // only inside SMX (TXT): still off for Xen
  EXPECT_FALSE(decode_feature_control(0x0).firmware_disabled());  // unlocked: the OS enables it itself
  FeatureControl fc = decode_feature_control(0xff07);
  EXPECT_TRUE(fc.locked);
  EXPECT_TRUE(fc.vmx_inside_smx);
  EXPECT_TRUE(fc.vmx_outside_smx);
}

TEST(Msr, VmCrSvmDisable) {
  EXPECT_TRUE(decode_vm_cr(0x18).svm_disabled);
  EXPECT_TRUE(decode_vm_cr(0x18).svm_lock);
  EXPECT_FALSE(decode_vm_cr(0x8).svm_disabled);
}

TEST(Msr, ReadsLittleEndianAtTheRegisterOffset) {
  ptdoctor::testing::TempTree tree;
  tree.write("/dev/cpu/0/msr", testing::msr_device_bytes(0x3a, 0x0000000100000005ull));
  auto view = offline_view(tree);
  auto value = read_msr(*view, kMsrFeatureControl);
  ASSERT_TRUE(value) << value.error().message;
  EXPECT_EQ(*value, 0x0000000100000005ull);
}

TEST(Msr, MissingDeviceOfflineSaysNotInRoot) {
  ptdoctor::testing::TempTree tree;
  auto view = offline_view(tree);
  auto value = read_msr(*view, kMsrFeatureControl);
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().kind, ErrorKind::kNotFound);
  EXPECT_THAT(value.error().message, HasSubstr("MSR 0x3a via /dev/cpu/0/msr: not in this root"));
}

TEST(Msr, ShortReadSaysTheRegisterIsNotImplemented) {
  ptdoctor::testing::TempTree tree;
  tree.write("/dev/cpu/0/msr", std::string(0x3c, '\0'));
  auto view = offline_view(tree);
  auto value = read_msr(*view, kMsrFeatureControl);
  ASSERT_FALSE(value);
  EXPECT_THAT(value.error().message, HasSubstr("read 2 bytes instead of 8"));
}

// A PV dom0 on real Xen (the lab's AMD run, docs/testing-on-real-xen.md item 21): /dev/cpu/0/msr exists and opens,
// but reading VM_CR fails with EIO, because Xen refuses the guest's rdmsr and the msr driver turns the failed
// rdmsr_safe_on_cpu() into -EIO (linux arch/x86/kernel/msr.c msr_read). A regular file in a fixture cannot fail
// that way, so a host view gives the error as RootedHostView would (kIo, strerror's text).
class MsrFailsWithEio final : public ptdoctor::testing::AbsentHostView {
 public:
  bool live() const override { return true; }
  Result<std::string> read_at(std::string_view path, std::uint64_t offset, std::size_t) const override {
    if (path != kMsrDevice) return absent(path);
    return make_error(ErrorKind::kIo, std::string(path) + ": read at offset " + std::to_string(offset) +
                                          ": Input/output error");
  }
  bool exists(std::string_view path) const override { return path == kMsrDevice; }
};

TEST(Msr, ARegisterTheHypervisorRefusesIsUnreadableNotAbsent) {
  MsrFailsWithEio host;
  auto value = read_msr(host, kMsrVmCr);
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().kind, ErrorKind::kIo);
  // Neither "modprobe msr" nor "run as root": the module is loaded and we are root; the register is what fails.
  EXPECT_THAT(value.error().message,
              HasSubstr("MSR 0xc0010114 via /dev/cpu/0/msr: not readable: /dev/cpu/0/msr: read at offset"));
  EXPECT_THAT(value.error().message, HasSubstr("Input/output error"));
  EXPECT_THAT(value.error().message, ::testing::Not(HasSubstr("modprobe")));
  EXPECT_THAT(value.error().message, ::testing::Not(HasSubstr("not root")));
}

TEST(Msr, UnreadableDeviceSaysNotRoot) {
  // Root reads mode 000 files, and CI runs as root: read as nobody (tests/support/unprivileged.hpp).
  ptdoctor::testing::TempTree tree;
  tree.write("/dev/cpu/0/msr", testing::msr_device_bytes(0x3a, 5), 0000);
  std::string message = ptdoctor::testing::as_unprivileged([&] {
    auto view = offline_view(tree);
    auto value = read_msr(*view, kMsrFeatureControl);
    return value ? std::string("read succeeded") : value.error().message;
  });
  EXPECT_THAT(message, HasSubstr("not root"));
}

}  // namespace
}  // namespace ptdoctor::cpu
