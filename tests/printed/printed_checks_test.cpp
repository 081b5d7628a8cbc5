// The judge of printed texts catches the mistakes issue 15 found in ptdoctor's own output, and lets correct texts
// through: without this, the fixture-host test could pass by judging nothing.
#include "printed_checks.hpp"

#include <gtest/gtest.h>

namespace ptdoctor::testing {
namespace {

class PrintedChecks : public ::testing::Test {
 protected:
  PrintedChecks() {
    truth_.bdfs = {"0000:00:1d.0", "0000:03:00.0", "0000:03:00.1"};
    truth_.modules = {"xen_pciback", "amdgpu", "radeon", "snd_hda_intel"};
    truth_.grub_words["GRUB_CMDLINE_XEN_DEFAULT"] = {"dom0_mem=4096M,max:4096M", "dom0_vcpus_pin"};
  }
  std::vector<std::string> advice(const std::string& text) {
    Judge judge{truth_, tally_, {}};
    judge.advice("t", text);
    return judge.problems;
  }
  HostTruth truth_;
  Tally tally_;
};

TEST_F(PrintedChecks, AHideListWithACommaDoesNotParse) {
  EXPECT_FALSE(advice("add `xen-pciback.hide=(0000:03:00.0, 0000:03:00.1)` to the dom0 kernel line").empty());
  EXPECT_FALSE(advice("add xen-pciback.hide=(0000:03:00.0, 0000:03:00.1) to the dom0 kernel line").empty());
  EXPECT_EQ(advice("add `xen-pciback.hide=(0000:03:00.0)(0000:03:00.1)` to the dom0 kernel line"),
            std::vector<std::string>{});
}

TEST_F(PrintedChecks, AnExampleDeviceTheHostLacksIsCaught) {
  EXPECT_FALSE(advice("add `options xen-pciback hide=(08:00.0)(08:00.1)` to /etc/modprobe.d/xen-pciback.conf").empty());
  EXPECT_FALSE(advice("`xl pci-assignable-add 08:00.0`").empty());
  EXPECT_FALSE(advice("pass 0000:08:00.0 to the guest").empty());
  EXPECT_EQ(advice("`xl pci-assignable-add 0000:03:00.0` for 0000:03:00.0"), std::vector<std::string>{});
}

TEST_F(PrintedChecks, PlaceholdersAreNeverOfferedForPasting) {
  EXPECT_FALSE(advice("`xl pci-assignable-add BDF` for each function").empty());
  EXPECT_FALSE(advice("add `softdep DRIVER pre: xen-pciback`").empty());
  EXPECT_FALSE(advice("`cp .config /boot/config-?`").empty());
  EXPECT_FALSE(advice("`xen-pciback.hide=(BB:DD.F)`").empty());
  EXPECT_FALSE(advice("`xen-pciback.hide={gpu.target_info.functions|pciback-hide}`").empty());
  EXPECT_FALSE(advice("remove `pcie_acs_override=...`").empty());
  // In prose, a value for the reader to choose is allowed; a missing one is not.
  EXPECT_EQ(advice("Name the card with --gpu BB:DD.F"), std::vector<std::string>{});
  EXPECT_FALSE(advice("the kernel ? has no config").empty());
}

TEST_F(PrintedChecks, ModulesMustBeOnesThisHostOrPtdoctorUses) {
  EXPECT_EQ(advice("add `softdep amdgpu pre: xen-pciback`"), std::vector<std::string>{});
  EXPECT_FALSE(advice("add `softdep nouveau pre: xen-pciback`").empty());
  EXPECT_FALSE(advice("add `softdep amdgpu pre xen-pciback`").empty()) << "softdep without pre: is a parse problem";
}

TEST_F(PrintedChecks, AGrubAssignmentMustKeepTheHostsWords) {
  EXPECT_FALSE(advice("e.g. `GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=4096M,max:4096M iommu=no-intremap\"`").empty());
  EXPECT_EQ(advice("`GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=4096M,max:4096M dom0_vcpus_pin iommu=no-intremap\"`"),
            std::vector<std::string>{});
}

TEST_F(PrintedChecks, PciEntriesAreJudgedByLibxlutil) {
  EXPECT_FALSE(advice("In the guest config: pci = [ '0000:00:1d.0,rdm_policy=relaxed', ... ]").empty());
  EXPECT_EQ(advice("In the guest config: pci = [ '0000:00:1d.0,rdm_policy=relaxed' ]"), std::vector<std::string>{});
  EXPECT_FALSE(advice("write the entry as '0000:00:1d.0,rdm_policy=lax'").empty());
  EXPECT_FALSE(advice("write the entry as '0000:09:00.0,rdm_policy=relaxed'").empty());
}

TEST_F(PrintedChecks, CommandsTakeTheFormsPtdoctorUses) {
  EXPECT_EQ(advice("run `update-grub` and `update-initramfs -u`"), std::vector<std::string>{});
  EXPECT_FALSE(advice("run `update-grub --now`").empty());
  EXPECT_FALSE(advice("run `xl pci-assignable-add 0000:03:00.0 0000:03:00.1`").empty());
  EXPECT_FALSE(advice("run `xl pci-assignable-add 03:00`").empty());
  // Naming a command without its arguments is a mention, not something to paste.
  EXPECT_EQ(advice("or `xl pci-assignable-add` each of them"), std::vector<std::string>{});
  EXPECT_EQ(advice("see `lspci -D | grep -E 'VGA|3D|Display'`"), std::vector<std::string>{});
}

TEST_F(PrintedChecks, FilesThePlanWritesAreParsed) {
  Judge judge{truth_, tally_, {}};
  judge.file("t", "/etc/modprobe.d/ptdoctor-xen-pciback.conf",
             "options xen-pciback hide=(0000:03:00.0)(0000:03:00.1)\nsoftdep amdgpu pre: xen-pciback\n");
  judge.file("t", "/etc/xen/win.cfg", "name = \"win\"\npci = [ '0000:03:00.0', '0000:03:00.1' ]\n");
  EXPECT_EQ(judge.problems, std::vector<std::string>{});
  auto fails = [&](const std::string& path, const std::string& contents) {
    Judge one{truth_, tally_, {}};
    one.file("t", path, contents);
    return !one.problems.empty();
  };
  EXPECT_TRUE(fails("/etc/xen/win.cfg", "name = \"win\"\npci = [ '0000:08:00.0' ]\n"));
  EXPECT_TRUE(fails("/etc/xen/win.cfg", "name = \"win\"\npci = [ '0000:03:00.0' \n"));
  EXPECT_TRUE(fails("/etc/modprobe.d/ptdoctor-xen-pciback.conf", "options xen-pciback hide=(0000:03:00.0,0000:03:00.1)\n"));
  EXPECT_TRUE(fails("/etc/modules", "# Added by ptdoctor\nxen-pcibak\n"));
  EXPECT_TRUE(fails("/etc/default/grub", "GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT "
                                         "xen-pciback.hide=(0000:03:00.0)(0000:08:00.1)\"\n"));
  EXPECT_TRUE(fails("/etc/somewhere-new", "x\n")) << "a file the judge cannot parse must not pass unjudged";
}

}  // namespace
}  // namespace ptdoctor::testing
