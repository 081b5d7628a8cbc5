#include "fix/verify.hpp"

#include <gtest/gtest.h>

#include "fix/applier.hpp"
#include "fix/planner.hpp"
#include "fix_test_util.hpp"
#include "guide_machine.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::fix {
namespace {

const VerifyCheck* check(const std::vector<VerifyCheck>& checks, const std::string& id) {
  for (const auto& c : checks) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

class Verify : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::write_guide_tree(tree);
    facts = testing::guide_facts();
    facts.set("kernel.pciback.builtin", true, "test");
    Json config = facts.find("kernel.config")->get<Json>();
    config["CONFIG_XEN_PCIDEV_BACKEND"] = "y";
    facts.set("kernel.config", config, "test");
    auto made = make_plan(facts, *testing::open_root(tree.path()), testing::guide_choices());
    ASSERT_TRUE(made);
    plan = std::move(*made);
    ASSERT_TRUE(apply_plan(plan, *testing::open_root(tree.path()), {}));
  }
  testing::TempTree tree;
  FactStore facts;
  Plan plan;
};

TEST_F(Verify, SaysUpdateGrubDidNotRunWhenGrubCfgLacksTheNewOptions) {
  auto checks = verify_setup(facts, *testing::open_root(tree.path()), plan);
  const VerifyCheck* grub = check(checks, "grub.generated");
  ASSERT_NE(grub, nullptr);
  EXPECT_EQ(grub->status, "fail");
  EXPECT_NE(grub->message.find("update-grub has not run"), std::string::npos);
  const VerifyCheck* gpu = check(checks, "pciback.0000:08:00.0");
  ASSERT_NE(gpu, nullptr);
  EXPECT_EQ(gpu->status, "fail");
  EXPECT_NE(gpu->message.find("update-grub"), std::string::npos);
  const VerifyCheck* domu = check(checks, "domu./etc/xen/win.cfg");
  ASSERT_NE(domu, nullptr);
  EXPECT_EQ(domu->status, "ok");
}

TEST_F(Verify, AllOkAfterUpdateGrubAndRebootWithPcibackHoldingTheDevices) {
  std::string hide = "xen-pciback.hide=";
  for (const auto& bdf : plan.hide_list) hide += "(" + bdf + ")";
  // After update-grub and the reboot: Xen up with its IOMMU (iommu=no-intremap on the guide's X58).
  tree.write("/boot/grub/grub.cfg", "multiboot2 /boot/xen.gz iommu=no-intremap dom0_mem=2048M,max:2048M\nmodule2 /vmlinuz quiet " + hide + "\n");
  facts.set("xen.iommu_enabled", true, "test");
  facts.set("kernel.pciback.devices", plan.hide_list, "test");
  facts.set("kernel.cmdline.raw", "root=/dev/sda1 quiet " + hide, "test");
  auto checks = verify_setup(facts, *testing::open_root(tree.path()), plan);
  for (const auto& c : checks) EXPECT_EQ(c.status, "ok") << c.id << ": " << c.message;
  EXPECT_EQ(checks.size(), 1u + 1u + plan.hide_list.size() + 2u);
}

TEST_F(Verify, NamesTheDriverThatClaimedADevice) {
  std::string hide = "xen-pciback.hide=";
  for (const auto& bdf : plan.hide_list) hide += "(" + bdf + ")";
  tree.write("/boot/grub/grub.cfg", "iommu=no-intremap dom0_mem=2048M,max:2048M " + hide + "\n");
  facts.set("kernel.cmdline.raw", "quiet " + hide, "test");
  std::vector<std::string> held(plan.hide_list.begin() + 1, plan.hide_list.end());
  facts.set("kernel.pciback.devices", held, "test");
  auto checks = verify_setup(facts, *testing::open_root(tree.path()), plan);
  const VerifyCheck* gpu = check(checks, "pciback.0000:08:00.0");
  ASSERT_NE(gpu, nullptr);
  EXPECT_EQ(gpu->status, "fail");
  EXPECT_NE(gpu->message.find("radeon claimed it first"), std::string::npos) << gpu->message;
}

// The Xen lab's dom0: xen-pciback a module, the hide list in modprobe.d, the grub step only for Xen's options.
// After the reboot the USB controllers were still bound to uhci_hcd (the initramfs had not been rebuilt): the
// running kernel line is not to blame, since the plan never put the hide list there.
TEST(VerifyModule, AHideListInModprobeDNamesTheDriverAndTheInitramfsNotTheKernelLine) {
  testing::TempTree tree;
  testing::write_guide_tree(tree);
  FactStore facts = testing::guide_facts();
  facts.set("kernel.pciback.builtin", false, "test");
  facts.set("kernel.pciback.module", true, "test");
  Json config = facts.find("kernel.config")->get<Json>();
  config["CONFIG_XEN_PCIDEV_BACKEND"] = "m";
  facts.set("kernel.config", config, "test");
  auto made = make_plan(facts, *testing::open_root(tree.path()), testing::guide_choices());
  ASSERT_TRUE(made) << made.error().message;
  Plan plan = std::move(*made);
  ASSERT_TRUE(apply_plan(plan, *testing::open_root(tree.path()), {}));
  bool grub_has_hide = false, modprobe_step = false;
  for (const PlanStep& step : plan.steps) {
    if (step.file && step.file->path == "/etc/default/grub") grub_has_hide = step.file->after.find("pciback.hide") != std::string::npos;
    if (step.file && step.file->path == "/etc/modprobe.d/ptdoctor-xen-pciback.conf") modprobe_step = true;
  }
  ASSERT_TRUE(modprobe_step);
  ASSERT_FALSE(grub_has_hide);
  ASSERT_GE(plan.hide_list.size(), 2u);

  tree.write("/boot/grub/grub.cfg", "multiboot2 /boot/xen.gz iommu=no-intremap dom0_mem=2048M,max:2048M\n");
  facts.set("xen.iommu_enabled", true, "test");
  facts.set("kernel.pciback.loaded", true, "test");
  facts.set("kernel.cmdline.raw", "root=/dev/sda1 quiet", "test");
  const std::string claimed = plan.hide_list.back();
  std::vector<std::string> held(plan.hide_list.begin(), plan.hide_list.end() - 1);
  facts.set("kernel.pciback.devices", held, "test");
  Json devices = facts.find("pci.devices")->get<Json>();
  for (Json& device : devices) {
    if (device.value("bdf", "") == claimed) device["driver"] = "ehci-pci";
  }
  facts.set("pci.devices", devices, "test");
  auto checks = verify_setup(facts, *testing::open_root(tree.path()), plan);
  const VerifyCheck* usb = check(checks, "pciback." + claimed);
  ASSERT_NE(usb, nullptr);
  EXPECT_EQ(usb->status, "fail");
  EXPECT_NE(usb->message.find("ehci-pci claimed it first"), std::string::npos) << usb->message;
  EXPECT_NE(usb->message.find("update-initramfs -u"), std::string::npos) << usb->message;
  EXPECT_EQ(usb->message.find("running kernel line"), std::string::npos) << usb->message;
}

}  // namespace
}  // namespace ptdoctor::fix
