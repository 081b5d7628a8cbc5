// The kernel plugin end to end: loaded as a .so and run on small TempTree roots and the generated fixture hosts.
#include <gtest/gtest.h>
#include <zlib.h>

#include "plugin_harness.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

std::vector<std::string> diagnostics_with(const engine::Collection& collection, const std::string& part) {
  std::vector<std::string> found;
  for (const auto& diagnostic : collection.diagnostics) {
    if (diagnostic.message.find(part) != std::string::npos) found.push_back(diagnostic.message);
  }
  return found;
}

std::string all_diagnostics(const engine::Collection& collection) {
  std::string text;
  for (const auto& diagnostic : collection.diagnostics) text += diagnostic.message + "\n";
  return text;
}

Json list(std::initializer_list<const char*> items) {
  Json out = Json::array();
  for (const char* item : items) out.push_back(item);
  return out;
}

TEST(KernelPlugin, GuideHostIsADebianPvDom0WithPcibackAsAModule) {
  auto facts = run_plugins({"kernel"}, fixture_host("guide-ich10"));
  EXPECT_EQ(fact(facts, "kernel.release"), "6.1.0-13-amd64");
  EXPECT_EQ(fact(facts, "kernel.version"), "6.1.0");
  EXPECT_EQ(fact(facts, "kernel.config_source"), "/boot/config-6.1.0-13-amd64");
  EXPECT_EQ(fact(facts, "kernel.config_complete"), true);
  EXPECT_EQ(fact(facts, "kernel.config")["CONFIG_XEN_DOM0"], "y");
  EXPECT_EQ(fact(facts, "kernel.config")["CONFIG_XEN_PCIDEV_BACKEND"], "m");
  EXPECT_EQ(fact(facts, "kernel.config")["CONFIG_IKCONFIG"], "n");
  EXPECT_EQ(fact(facts, "kernel.cmdline.params")["xen_pciback.hide"], list({"(08:00.0)(08:00.1)"}));
  EXPECT_EQ(fact(facts, "kernel.cmdline.module_params.xen_pciback.hide"), list({"(08:00.0)(08:00.1)"}));
  EXPECT_EQ(fact(facts, "kernel.pciback.hide"), list({"0000:08:00.0", "0000:08:00.1"}));
  EXPECT_EQ(fact(facts, "kernel.pciback.hide_sources"), list({"/proc/cmdline"}));
  EXPECT_EQ(fact(facts, "kernel.pciback.hide_errors"), Json::array());
  EXPECT_EQ(fact(facts, "kernel.pciback.module"), true);
  EXPECT_EQ(fact(facts, "kernel.pciback.builtin"), false);
  EXPECT_EQ(fact(facts, "kernel.pciback.loaded"), true);
  EXPECT_EQ(fact(facts, "kernel.pciback.devices"), list({"0000:08:00.0", "0000:08:00.1"}));
  EXPECT_EQ(fact(facts, "kernel.pciback.load_sources"),
            list({"/etc/modules", "softdep amdgpu (/etc/modprobe.d/xen-pciback.conf:3)",
                  "softdep radeon (/etc/modprobe.d/xen-pciback.conf:2)"}));
  EXPECT_EQ(fact(facts, "kernel.modprobe.softdeps")["radeon"]["pre"], list({"xen_pciback"}));
  EXPECT_EQ(fact(facts, "kernel.modules_file"), list({"xen_pciback"}));
  EXPECT_EQ(fact(facts, "kernel.xen_dom0"), true);
  EXPECT_EQ(fact(facts, "kernel.xen_guest_type"), "PV");
  EXPECT_EQ(fact(facts, "kernel.acs_override"), false);
  EXPECT_EQ(fact(facts, "kernel.unsafe_interrupts"), false);
  EXPECT_EQ(fact(facts, "kernel.grub.GRUB_CMDLINE_LINUX"), "xen-pciback.hide=(08:00.0)(08:00.1)");
  // An X58 host: Xen keeps its IOMMU on only without interrupt remapping (xen/drivers/passthrough/vtd/quirks.c).
  EXPECT_EQ(fact(facts, "kernel.grub.GRUB_CMDLINE_XEN_DEFAULT"),
            "dom0_mem=4096M,max:4096M dom0_max_vcpus=2 dom0_vcpus_pin iommu=no-intremap");
  // No file sets it (xen.cfg has it commented out), and every file was read: 20_linux_xen expands it empty.
  EXPECT_EQ(fact(facts, "kernel.grub.GRUB_CMDLINE_XEN"), "");
  EXPECT_NE(facts.facts.provenance().at("kernel.grub.GRUB_CMDLINE_XEN").find("not set in /etc/default/grub, "
                                                                              "/etc/default/grub.d/xen.cfg"),
            std::string::npos);
  EXPECT_EQ(fact(facts, "kernel.grub.files"), list({"/etc/default/grub", "/etc/default/grub.d/xen.cfg"}));
  // Debian's own GRUB_DISTRIBUTOR=`lsb_release ...` and xen.cfg's echo are not worth a diagnostic.
  EXPECT_TRUE(facts.diagnostics.empty()) << all_diagnostics(facts);
}

TEST(KernelPlugin, AmdDesktopReadsProcConfigGzAndSeesIsolationShortcuts) {
  auto facts = run_plugins({"kernel"}, fixture_host("amd-desktop"));
  EXPECT_EQ(fact(facts, "kernel.config_source"), "/proc/config.gz");
  EXPECT_EQ(fact(facts, "kernel.config")["CONFIG_IKCONFIG_PROC"], "y");
  EXPECT_EQ(fact(facts, "kernel.version"), "6.12.48");
  EXPECT_EQ(fact(facts, "kernel.acs_override"), true);
  EXPECT_EQ(fact(facts, "kernel.cmdline.params")["pcie_acs_override"], list({"downstream,multifunction"}));
  EXPECT_EQ(fact(facts, "kernel.unsafe_interrupts"), true);
  EXPECT_EQ(fact(facts, "kernel.unsafe_interrupts_source"), "/etc/modprobe.d/vfio.conf:1");
  EXPECT_EQ(fact(facts, "kernel.xen_dom0"), false);
  EXPECT_EQ(fact(facts, "kernel.iommu.groups_present"), true);
  EXPECT_EQ(fact(facts, "kernel.pciback.hide"), Json::array());
}

TEST(KernelPlugin, XenHostsVaryThePcibackSetUp) {
  auto dual = run_plugins({"kernel"}, fixture_host("dual-gpu"));
  EXPECT_EQ(fact(dual, "kernel.pciback.hide"), list({"0000:03:00.0", "0000:03:00.1"}));
  EXPECT_EQ(fact(dual, "kernel.pciback.hide_sources"), list({"/etc/modprobe.d/pciback.conf:1"}));
  EXPECT_EQ(fact(dual, "kernel.pciback.loaded"), false);
  EXPECT_EQ(fact(dual, "kernel.modules_file"), Json::array());

  auto xhci = run_plugins({"kernel"}, fixture_host("xhci-only"));
  EXPECT_EQ(fact(xhci, "kernel.pciback.builtin"), true);
  EXPECT_EQ(fact(xhci, "kernel.pciback.loaded"), true);
  EXPECT_EQ(fact(xhci, "kernel.pciback.devices"), Json::array());

  auto ehci = run_plugins({"kernel"}, fixture_host("ehci-keyboard"));
  EXPECT_EQ(fact(ehci, "kernel.pciback.module"), true);
  EXPECT_EQ(fact(ehci, "kernel.pciback.loaded"), false);
  EXPECT_EQ(fact(ehci, "kernel.pciback.hide"), Json::array());
  EXPECT_EQ(fact(ehci, "kernel.pciback.load_sources"), Json::array());
}

TEST(KernelPlugin, BrokenHostKeepsWhatParsedAndNamesEveryProblem) {
  auto facts = run_plugins({"kernel"}, fixture_host("broken"));
  // The corrupt /proc/config.gz still gives the options in front of the damage.
  EXPECT_EQ(fact(facts, "kernel.config")["CONFIG_XEN_DOM0"], "y");
  EXPECT_EQ(fact(facts, "kernel.config_complete"), false);
  EXPECT_FALSE(diagnostics_with(facts, "/proc/config.gz: corrupt data at compressed offset").empty())
      << all_diagnostics(facts);
  auto garbage = diagnostics_with(facts, "\"this line is not a config line\"");
  ASSERT_EQ(garbage.size(), 1u) << all_diagnostics(facts);
  EXPECT_NE(garbage[0].find("/proc/config.gz: line "), std::string::npos);
  // Hide list "(08:00.0)(zz:00.1)(08:00.9)(0000:08:00.1)": xen-pciback gives up at entry 2 and hides nothing
  // (drivers/xen/xen-pciback/pci_stub.c, pcistub_init), so the good entries around it do not count.
  EXPECT_EQ(fact(facts, "kernel.pciback.hide"), Json::array());
  auto hide_errors = fact(facts, "kernel.pciback.hide_errors");
  ASSERT_EQ(hide_errors.size(), 1u) << hide_errors.dump();
  EXPECT_NE(hide_errors[0].get<std::string>().find("/proc/cmdline: entry 2 \"(zz:00.1)\""), std::string::npos)
      << hide_errors.dump();
  EXPECT_EQ(diagnostics_with(facts, "/proc/cmdline: xen-pciback hide list entry 2").size(), 1u)
      << all_diagnostics(facts);
  EXPECT_EQ(diagnostics_with(facts, "/etc/modprobe.d/broken.conf:").size(), 3u);
  EXPECT_EQ(diagnostics_with(facts, "/etc/default/grub: line 1: unterminated").size(), 1u) << all_diagnostics(facts);
  // The unterminated quote swallows the rest of the file: what the shell would make of it is unknown, and the
  // reason names the line.
  ASSERT_TRUE(unknown_with_reason(facts, "kernel.grub.GRUB_CMDLINE_LINUX"));
  EXPECT_NE(facts.facts.unknown_reason("kernel.grub.GRUB_CMDLINE_LINUX")->find("/etc/default/grub: line 1: "),
            std::string::npos);
}

TEST(KernelPlugin, EmptyRootMakesEverythingUnknownWithReasons) {
  TempTree root;
  auto facts = run_plugins({"kernel"}, root.path());
  for (const char* path : {"kernel.release", "kernel.version", "kernel.config", "kernel.cmdline",
                           "kernel.pciback.loaded", "kernel.iommu.groups_present", "kernel.grub"}) {
    EXPECT_TRUE(fact(facts, path).is_null()) << path;
    EXPECT_TRUE(facts.facts.unknown_reason(path).has_value()) << path;
  }
  EXPECT_NE(facts.facts.unknown_reason("kernel.config")->find("--kernel-config"), std::string::npos);
  EXPECT_EQ(fact(facts, "kernel.xen_dom0"), false);
  ASSERT_EQ(facts.runs.size(), 1u);
  EXPECT_TRUE(facts.runs[0].ok);
}

TEST(KernelPlugin, KernelConfigOptionIsReadOutsideTheRootAndWins) {
  TempTree root, outside;
  root.write("/proc/sys/kernel/osrelease", "6.1.0-13-amd64\n");
  root.write("/boot/config-6.1.0-13-amd64", "CONFIG_XEN_DOM0=y\n");
  std::string user_config = outside.write("/my.config", "# CONFIG_XEN_DOM0 is not set\nCONFIG_XEN=y\n");
  auto facts = run_plugins({"kernel"}, root.path(), {{"kernel-config", {user_config}}});
  EXPECT_EQ(fact(facts, "kernel.config_source"), user_config);
  EXPECT_EQ(fact(facts, "kernel.config")["CONFIG_XEN_DOM0"], "n");

  auto missing = run_plugins({"kernel"}, root.path(), {{"kernel-config", {outside.at("/nope")}}});
  EXPECT_TRUE(fact(missing, "kernel.config").is_null());
  EXPECT_FALSE(diagnostics_with(missing, "--kernel-config").empty());
}

TEST(KernelPlugin, BootConfigOfTheRunningReleaseIsTheFallback) {
  TempTree root;
  root.write("/proc/sys/kernel/osrelease", "5.10.0-28-amd64\n");
  root.write("/boot/config-6.1.0-13-amd64", "CONFIG_XEN_DOM0=n\n");
  root.write("/boot/config-5.10.0-28-amd64", "CONFIG_XEN_DOM0=y\nCONFIG_XEN_PCIDEV_BACKEND=y\n");
  auto facts = run_plugins({"kernel"}, root.path());
  EXPECT_EQ(fact(facts, "kernel.config_source"), "/boot/config-5.10.0-28-amd64");
  EXPECT_EQ(fact(facts, "kernel.pciback.builtin"), true);
  EXPECT_EQ(fact(facts, "kernel.version"), "5.10.0");
}

TEST(KernelPlugin, WildcardHideCoversThePresentFunctionsOfTheSlot) {
  TempTree root;
  root.write("/proc/cmdline", "xen_pciback.hide=(00:1d.*)\n");
  for (const char* bdf : {"0000:00:1d.0", "0000:00:1d.1", "0000:00:1d.7", "0000:00:1e.0"}) {
    root.symlink(std::string("/sys/bus/pci/devices/") + bdf, std::string("../../../devices/pci0000:00/") + bdf);
  }
  auto facts = run_plugins({"kernel"}, root.path());
  EXPECT_EQ(fact(facts, "kernel.pciback.hide_wildcards"), list({"0000:00:1d"}));
  EXPECT_EQ(fact(facts, "kernel.pciback.hide"), list({"0000:00:1d.0", "0000:00:1d.1", "0000:00:1d.7"}));
}

TEST(KernelPlugin, BusWildcardHideCoversThePresentFunctionsOfTheBus) {
  TempTree root;
  root.write("/proc/cmdline", "xen-pciback.hide=(08:*.*)\n");
  for (const char* bdf : {"0000:08:00.0", "0000:08:00.1", "0000:08:01.0", "0000:09:00.0", "0000:00:08.0"}) {
    root.symlink(std::string("/sys/bus/pci/devices/") + bdf, std::string("../../../devices/pci0000:00/") + bdf);
  }
  auto facts = run_plugins({"kernel"}, root.path());
  EXPECT_EQ(fact(facts, "kernel.pciback.hide_wildcards"), list({"0000:08"}));
  EXPECT_EQ(fact(facts, "kernel.pciback.hide"), list({"0000:08:00.0", "0000:08:00.1", "0000:08:01.0"}));
  EXPECT_EQ(fact(facts, "kernel.pciback.hide_errors"), Json::array());
}

// libkmod passes modprobe.d's options first and the command line's after them; the kernel keeps the last hide=.
TEST(KernelPlugin, CmdlineHideReplacesTheModprobeHideItFollows) {
  TempTree root;
  root.write("/proc/cmdline", "quiet xen-pciback.hide=(01:00.0)\n");
  root.write("/etc/modprobe.d/pciback.conf", "options xen_pciback hide=\"(01:00.1)(01:00.0)\"\n"
                                             "options pciback hide=(02:00.0)\n");
  auto facts = run_plugins({"kernel"}, root.path());
  EXPECT_EQ(fact(facts, "kernel.pciback.hide"), list({"0000:01:00.0"}));
  EXPECT_EQ(fact(facts, "kernel.pciback.hide_sources"), list({"/proc/cmdline"}));
  EXPECT_EQ(diagnostics_with(facts, "/etc/modprobe.d/pciback.conf:1: its xen-pciback hide= list has no effect").size(),
            1u)
      << all_diagnostics(facts);
  // The old module name does nothing on a modern kernel: say so.
  EXPECT_EQ(diagnostics_with(facts, "options xen-pciback").size(), 1u) << all_diagnostics(facts);
}

TEST(KernelPlugin, GrubDom0LineFollowsTheXenReplaceVariables) {
  TempTree root;
  root.write("/proc/cmdline", "ro xen-pciback.hide=(08:00.0)(08:00.1)\n");
  root.write("/etc/default/grub", "GRUB_CMDLINE_LINUX=\"xen-pciback.hide=(01:00.0)\"\n");
  auto plain = run_plugins({"kernel"}, root.path());
  EXPECT_EQ(fact(plain, "kernel.pciback.cmdline_hide"), list({"0000:08:00.0", "0000:08:00.1"}));
  EXPECT_EQ(fact(plain, "kernel.grub.xen_dom0_pciback_hide"), list({"0000:01:00.0"}));

  // Under Xen, 20_linux_xen uses GRUB_CMDLINE_LINUX_XEN_REPLACE instead of GRUB_CMDLINE_LINUX.
  root.write("/etc/default/grub.d/xen.cfg", "GRUB_CMDLINE_LINUX_XEN_REPLACE=\"xen-pciback.hide=(08:00.0)\"\n");
  auto replaced = run_plugins({"kernel"}, root.path());
  EXPECT_EQ(fact(replaced, "kernel.grub.xen_dom0_pciback_hide"), list({"0000:08:00.0"}));

  auto guide = run_plugins({"kernel"}, fixture_host("guide-ich10"));
  EXPECT_EQ(fact(guide, "kernel.grub.xen_dom0_pciback_hide"), list({"0000:08:00.0", "0000:08:00.1"}));
}

TEST(KernelPlugin, InitramfsListCountsAsALoadSource) {
  TempTree root;
  root.write("/etc/initramfs-tools/modules", "# List of modules\nxen-pciback\n");
  auto facts = run_plugins({"kernel"}, root.path());
  EXPECT_EQ(fact(facts, "kernel.initramfs_modules"), list({"xen_pciback"}));
  EXPECT_EQ(fact(facts, "kernel.pciback.load_sources"), list({"/etc/initramfs-tools/modules"}));
}

TEST(KernelPlugin, UnsafeInterruptsFromTheCommandLineToo) {
  TempTree root;
  root.write("/proc/cmdline", "vfio_iommu_type1.allow_unsafe_interrupts\n");
  auto facts = run_plugins({"kernel"}, root.path());
  EXPECT_EQ(fact(facts, "kernel.unsafe_interrupts"), true);
  EXPECT_EQ(fact(facts, "kernel.unsafe_interrupts_source"), "/proc/cmdline");
}

TEST(KernelPlugin, PvhDom0IsNotAPvDom0AndMissingXenfsIsUnknown) {
  TempTree pvh;
  pvh.write("/sys/hypervisor/type", "xen\n");
  pvh.write("/sys/hypervisor/guest_type", "PVH\n");
  pvh.write("/proc/xen/capabilities", "control_d\n");
  EXPECT_EQ(fact(run_plugins({"kernel"}, pvh.path()), "kernel.xen_dom0"), false);

  TempTree no_xenfs;
  no_xenfs.write("/sys/hypervisor/type", "xen\n");
  auto facts = run_plugins({"kernel"}, no_xenfs.path());
  EXPECT_TRUE(fact(facts, "kernel.xen_dom0").is_null());
  EXPECT_NE(facts.facts.unknown_reason("kernel.xen_dom0")->find("xenfs"), std::string::npos);

  TempTree domu;
  domu.write("/sys/hypervisor/type", "xen\n");
  domu.write("/proc/xen/capabilities", "");
  EXPECT_EQ(fact(run_plugins({"kernel"}, domu.path()), "kernel.xen_dom0"), false);
}

TEST(KernelPlugin, GrubSnippetsBuildOnTheMainFile) {
  TempTree root;
  root.write("/etc/default/grub", "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n");
  root.write("/etc/default/grub.d/50-iommu.cfg",
             "GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT intel_iommu=on\"\n");
  root.write("/etc/default/grub.d/notes.txt", "GRUB_CMDLINE_LINUX_DEFAULT=ignored\n");
  auto facts = run_plugins({"kernel"}, root.path());
  EXPECT_EQ(fact(facts, "kernel.grub.GRUB_CMDLINE_LINUX_DEFAULT"), "quiet intel_iommu=on");
  EXPECT_EQ(facts.facts.provenance().at("kernel.grub.GRUB_CMDLINE_LINUX_DEFAULT"), "/etc/default/grub.d/50-iommu.cfg");
}

}  // namespace
}  // namespace ptdoctor::testing
