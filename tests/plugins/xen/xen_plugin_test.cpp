// The xen plugin end to end on the generated fixture hosts and small TempTree roots.
#include <gtest/gtest.h>

#include "plugin_harness.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

std::string all_diagnostics(const engine::Collection& collection) {
  std::string text;
  for (const auto& diagnostic : collection.diagnostics) text += diagnostic.message + "\n";
  return text;
}

std::size_t count_diagnostics(const engine::Collection& collection, const std::string& part) {
  std::size_t count = 0;
  for (const auto& diagnostic : collection.diagnostics) count += diagnostic.message.find(part) != std::string::npos;
  return count;
}

std::string reason(const engine::Collection& collection, const std::string& path) {
  return collection.facts.unknown_reason(path).value_or("");
}

TEST(XenPlugin, GuideHostRunsXen417WithTheIommuOnAndInterruptRemappingOff) {
  auto facts = run_plugins({"xen"}, fixture_host("guide-ich10"));
  EXPECT_EQ(fact(facts, "xen.running"), true);
  EXPECT_EQ(fact(facts, "xen.version"), "4.17.3");
  EXPECT_EQ(fact(facts, "xen.major"), 4);
  EXPECT_EQ(fact(facts, "xen.minor"), 17);
  EXPECT_EQ(fact(facts, "xen.extra"), ".3");
  EXPECT_EQ(fact(facts, "xen.major_minor"), "4.17");
  // The X58 I/O hub keeps its IOMMU under Xen only with iommu=no-intremap.
  EXPECT_EQ(fact(facts, "xen.iommu_enabled"), true);
  EXPECT_EQ(fact(facts, "xen.intremap_enabled"), false);
  EXPECT_EQ(fact(facts, "xen.intremap_errata"), true);
  EXPECT_EQ(fact(facts, "xen.intremap_errata_evidence"), "Intel X58 I/O hub (8086:3405 rev 0x13 at 0000:00:00.0)");
  EXPECT_TRUE(fact(facts, "xen.commandline_iommu_off_by").is_null());
  EXPECT_EQ(fact(facts, "xen.hvm"), true);
  EXPECT_EQ(fact(facts, "xen.hap"), true);
  EXPECT_EQ(fact(facts, "xen.total_memory_mb"), 12279);
  EXPECT_EQ(fact(facts, "xen.nr_cpus"), 8);
  EXPECT_EQ(fact(facts, "xen.commandline_params")["dom0_mem"], Json::array({"4096M,max:4096M"}));
  EXPECT_EQ(fact(facts, "xen.commandline_iommu"), Json::array({"no-intremap"}));
  EXPECT_EQ(fact(facts, "xen.assignable"), Json::array({"0000:08:00.0", "0000:08:00.1"}));
  EXPECT_EQ(fact(facts, "xen.dmesg.truncated"), false);
  EXPECT_EQ(fact(facts, "xen.dmesg.vtd"), true);
  EXPECT_EQ(fact(facts, "xen.dmesg.vmx"), true);
  EXPECT_EQ(fact(facts, "xen.toolstack"), "xl");
  EXPECT_EQ(fact(facts, "xen.xend_present"), true);
  EXPECT_EQ(fact(facts, "xen.xend_files"), Json::array({"/etc/xen/xend-config.sxp"}));
  EXPECT_EQ(fact(facts, "xen.installed_version"), "4.17.3");
  EXPECT_EQ(fact(facts, "xen.installed_packages")[0]["name"], "xen-hypervisor-4.17-amd64");
  EXPECT_TRUE(facts.diagnostics.empty()) << all_diagnostics(facts);
}

TEST(XenPlugin, AmdHostRunsXenWithSvmNptAndAmdVi) {
  // Xen 4.17.7 on a Zen 2: the boot log has AMD-Vi and SVM lines, not VT-d and VMX ones; HAP from NPT.
  auto facts = run_plugins({"xen"}, fixture_host("ryzen-x570-xen417"));
  EXPECT_EQ(fact(facts, "xen.version"), "4.17.7");
  EXPECT_EQ(fact(facts, "xen.dmesg.amd_vi"), true);
  EXPECT_EQ(fact(facts, "xen.dmesg.vtd"), false);
  EXPECT_EQ(fact(facts, "xen.dmesg.svm"), true);
  EXPECT_EQ(fact(facts, "xen.dmesg.vmx"), false);
  EXPECT_EQ(fact(facts, "xen.dmesg.hap"), true);
  EXPECT_EQ(fact(facts, "xen.iommu_enabled"), true);
  EXPECT_EQ(fact(facts, "xen.intremap_enabled"), true);
  EXPECT_EQ(fact(facts, "xen.hvm"), true);
  EXPECT_EQ(fact(facts, "xen.hap"), true);
  EXPECT_EQ(fact(facts, "xen.shadow"), false);  // Debian's 4.17.7 build
  EXPECT_EQ(fact(facts, "xen.nr_cpus"), 16);
  EXPECT_EQ(fact(facts, "xen.assignable"), Json::array({"0000:0b:00.0", "0000:0b:00.1"}));
  EXPECT_TRUE(facts.diagnostics.empty()) << all_diagnostics(facts);
}

TEST(XenPlugin, InstalledButNotBootedIntoXen) {
  auto facts = run_plugins({"xen"}, fixture_host("intel-modern"));
  EXPECT_EQ(fact(facts, "xen.running"), false);
  EXPECT_EQ(fact(facts, "xen.installed_version"), "4.17.3");
  EXPECT_TRUE(fact(facts, "xen.iommu_enabled").is_null());
  EXPECT_EQ(reason(facts, "xen.iommu_enabled"), "Xen is not running");
  EXPECT_EQ(reason(facts, "xen.dmesg.truncated"), "Xen is not running");
}

TEST(XenPlugin, NoXenAtAll) {
  auto facts = run_plugins({"xen"}, fixture_host("amd-desktop"));
  EXPECT_EQ(fact(facts, "xen.running"), false);
  EXPECT_TRUE(fact(facts, "xen.installed_version").is_null());
  EXPECT_FALSE(facts.facts.unknown_reason("xen.installed_version").has_value());  // known: none installed
  EXPECT_EQ(fact(facts, "xen.xend_present"), false);
  EXPECT_TRUE(fact(facts, "xen.toolstack").is_null());
}

TEST(XenPlugin, Xen419HostsWithoutDpkgAndWithIntremapOff) {
  auto facts = run_plugins({"xen"}, fixture_host("ehci-keyboard"));
  EXPECT_EQ(fact(facts, "xen.version"), "4.19.1");
  EXPECT_EQ(fact(facts, "xen.iommu_enabled"), true);
  EXPECT_EQ(fact(facts, "xen.intremap_enabled"), false);
  EXPECT_EQ(fact(facts, "xen.commandline_iommu"), Json::array());
  EXPECT_EQ(fact(facts, "xen.commandline_params").count("dom0_mem"), 0u);
  EXPECT_EQ(fact(facts, "xen.assignable"), Json::array());
  EXPECT_TRUE(fact(facts, "xen.installed_version").is_null());
}

TEST(XenPlugin, BrokenCapturesGiveDiagnosticsAndHonestUnknowns) {
  auto facts = run_plugins({"xen"}, fixture_host("broken"));
  EXPECT_EQ(fact(facts, "xen.running"), true);
  // xen_minor "seventeen": no version, said so.
  EXPECT_TRUE(unknown_with_reason(facts, "xen.version"));
  EXPECT_NE(reason(facts, "xen.major_minor").find("unreadable version"), std::string::npos);
  EXPECT_EQ(count_diagnostics(facts, "is not numeric"), 1u) << all_diagnostics(facts);
  EXPECT_EQ(count_diagnostics(facts, "xl info (xl-info.txt): line "), 2u) << all_diagnostics(facts);
  EXPECT_TRUE(unknown_with_reason(facts, "xen.total_memory_mb"));
  // virt_caps lists hvm without hvm_directio: the IOMMU is off, whatever the truncated dmesg lacks.
  EXPECT_EQ(fact(facts, "xen.iommu_enabled"), false);
  EXPECT_EQ(fact(facts, "xen.dmesg.truncated"), true);
  // Xen clears interrupt remapping when the IOMMU is off (iommu_setup): false, not unknown.
  EXPECT_EQ(fact(facts, "xen.intremap_enabled"), false);
  EXPECT_NE(reason(facts, "xen.dmesg.io_virtualisation").find("truncated"), std::string::npos);
  EXPECT_TRUE(unknown_with_reason(facts, "xen.dmesg.vtd"));
  EXPECT_EQ(fact(facts, "xen.assignable"), Json::array({"0000:08:00.0"}));
  EXPECT_EQ(count_diagnostics(facts, "\"not-a-bdf\" is not a PCI address"), 1u);
  EXPECT_TRUE(fact(facts, "xen.installed_version").is_null());  // listed package without a version
}

TEST(XenPlugin, TruncatedDmesgWithoutVirtCapsLeavesTheIommuUnknown) {
  TempTree root;
  root.write("/sys/hypervisor/type", "xen\n");
  root.write("/sys/hypervisor/version/major", "4\n");
  root.write("/sys/hypervisor/version/minor", "18\n");
  root.write("/sys/hypervisor/version/extra", ".2-pre\n");
  root.write("/.ptdoctor/capture/xl-dmesg.txt", "(XEN) d1v0: upcall vector f3\n");
  auto facts = run_plugins({"xen"}, root.path());
  EXPECT_EQ(fact(facts, "xen.version"), "4.18.2");  // from sysfs when xl info is missing
  EXPECT_EQ(fact(facts, "xen.extra"), ".2-pre");
  EXPECT_TRUE(unknown_with_reason(facts, "xen.iommu_enabled"));
  EXPECT_TRUE(unknown_with_reason(facts, "xen.virt_caps"));
  EXPECT_NE(reason(facts, "xen.virt_caps").find("xl-info.txt"), std::string::npos);
  EXPECT_TRUE(unknown_with_reason(facts, "xen.assignable"));
}

TEST(XenPlugin, DmesgAloneCanSayTheIommuIsOff) {
  TempTree root;
  root.write("/sys/hypervisor/type", "xen\n");
  root.write("/.ptdoctor/capture/xl-dmesg.txt",
             "(XEN) Xen version 4.17.3\n(XEN) I/O virtualisation disabled\n(XEN) CPU0: VMX disabled by BIOS.\n");
  auto facts = run_plugins({"xen"}, root.path());
  EXPECT_EQ(fact(facts, "xen.iommu_enabled"), false);
  EXPECT_EQ(fact(facts, "xen.hvm"), false);
  EXPECT_EQ(fact(facts, "xen.dmesg.vmx_disabled_by_bios"), true);
  EXPECT_EQ(fact(facts, "xen.dmesg.vtd"), false);  // complete log: absence is meaningful
}

TEST(XenPlugin, IommuOffOnTheXenCommandLineIsListed) {
  TempTree root;
  root.write("/sys/hypervisor/type", "xen\n");
  root.write("/.ptdoctor/capture/xl-info.txt", "xen_major : 4\nxen_minor : 17\nxen_extra : .3\n"
                                                 "xen_commandline : placeholder iommu=no-intremap,verbose iommu=0\n");
  auto facts = run_plugins({"xen"}, root.path());
  EXPECT_EQ(fact(facts, "xen.commandline_iommu"), Json::array({"no-intremap", "verbose", "0"}));
  EXPECT_EQ(fact(facts, "xen.commandline"), "placeholder iommu=no-intremap,verbose iommu=0");
}

TEST(XenPlugin, X58WithoutNoIntremapHasTheErrataLineAndTheIommuOff) {
  auto facts = run_plugins({"xen"}, fixture_host("x58-xen-default"));
  EXPECT_EQ(fact(facts, "xen.iommu_enabled"), false);
  EXPECT_EQ(fact(facts, "xen.intremap_enabled"), false);
  EXPECT_EQ(fact(facts, "xen.intremap_errata"), true);
  EXPECT_EQ(fact(facts, "xen.intremap_errata_evidence"),
            "xl dmesg: \"Disabling IOMMU due to Intel X58 chipset errata #62 and #69\"");
}

TEST(XenPlugin, ErrataChipsetIsFoundByPciIdWithoutXen) {
  // 5520 (8086:3406) at revision 0x13 (stepping B-3) has the errata; at 0x22 (C-2) it does not.
  for (const auto& [revision, expected] : {std::pair{"0x13", true}, std::pair{"0x22", false}}) {
    TempTree root;
    root.write("/sys/bus/pci/devices/0000:00:00.0/vendor", "0x8086\n");
    root.write("/sys/bus/pci/devices/0000:00:00.0/device", "0x3406\n");
    root.write("/sys/bus/pci/devices/0000:00:00.0/revision", std::string(revision) + "\n");
    root.write("/sys/bus/pci/devices/0000:00:1f.0/vendor", "0x8086\n");
    auto facts = run_plugins({"xen"}, root.path());
    EXPECT_EQ(fact(facts, "xen.intremap_errata"), expected) << revision;
  }
  TempTree unreadable;
  auto facts = run_plugins({"xen"}, unreadable.path());
  EXPECT_TRUE(fact(facts, "xen.intremap_errata").is_null());
}

TEST(XenPlugin, PvDirectioMeansTheIommuIsOnEvenWithAWrappedLog) {
  auto facts = run_plugins({"xen"}, fixture_host("vtx-off-wrapped"));
  EXPECT_EQ(fact(facts, "xen.iommu_enabled"), true);
  EXPECT_EQ(fact(facts, "xen.hvm"), false);
  EXPECT_EQ(fact(facts, "xen.dmesg.truncated"), true);
}

TEST(XenPlugin, VirtCapsWithoutHapSaysNothingBeforeXen413) {
  for (const auto& [minor, hap_known] : {std::pair{"12", false}, std::pair{"13", true}}) {
    TempTree root;
    root.write("/sys/hypervisor/type", "xen\n");
    root.write("/.ptdoctor/capture/xl-info.txt", std::string("xen_major : 4\nxen_minor : ") + minor +
                                                     "\nvirt_caps : pv hvm hvm_directio\n");
    auto facts = run_plugins({"xen"}, root.path());
    if (hap_known) {
      EXPECT_EQ(fact(facts, "xen.hap"), false);
      EXPECT_EQ(fact(facts, "xen.shadow"), false);
    } else {
      EXPECT_TRUE(fact(facts, "xen.hap").is_null()) << fact(facts, "xen.hap");
      EXPECT_TRUE(fact(facts, "xen.shadow").is_null()) << fact(facts, "xen.shadow");
    }
  }
}

// Shadow paging is a build option Xen reports in virt_caps: Debian's 4.17.5 listed it, its 4.17.7 does not (the
// Xen lab's dom0; tests/vm/snapshots). Without it and without HAP no HVM guest starts (rule xen.hvm-paging).
TEST(XenPlugin, ShadowPagingIsReadFromVirtCaps) {
  for (const auto& [virt_caps, shadow] : {std::pair{"pv hvm hvm_directio pv_directio shadow gnttab-v1", true},
                                          std::pair{"pv hvm hvm_directio pv_directio gnttab-v1 gnttab-v2", false}}) {
    TempTree root;
    root.write("/sys/hypervisor/type", "xen\n");
    root.write("/.ptdoctor/capture/xl-info.txt",
               std::string("xen_major : 4\nxen_minor : 17\nvirt_caps : ") + virt_caps + "\n");
    auto facts = run_plugins({"xen"}, root.path());
    EXPECT_EQ(fact(facts, "xen.shadow"), shadow) << virt_caps;
    EXPECT_EQ(fact(facts, "xen.hap"), false) << virt_caps;
  }
}

TEST(XenPlugin, TheLastIommuWordOnTheXenLineDecides) {
  const std::pair<const char*, Json> cases[] = {
      {"placeholder no-iommu dom0_mem=4G", "no-iommu"},
      {"placeholder iommu=off iommu=1", nullptr},
      {"placeholder iommu=1 iommu=no-intremap,off", "iommu=no-intremap,off"},
      {"placeholder iommu=no-intremap", nullptr},
      {"placeholder iommu=off,verbose,on", nullptr},
  };
  for (const auto& [line, off_by] : cases) {
    TempTree root;
    root.write("/sys/hypervisor/type", "xen\n");
    root.write("/.ptdoctor/capture/xl-info.txt", std::string("xen_major : 4\nxen_minor : 19\nxen_commandline : ") +
                                                     line + "\n");
    auto facts = run_plugins({"xen"}, root.path());
    EXPECT_EQ(fact(facts, "xen.commandline_iommu_off_by"), off_by) << line;
  }
}

TEST(XenPlugin, EmptyRootIsUnknownNotFalse) {
  TempTree root;
  auto facts = run_plugins({"xen"}, root.path());
  EXPECT_TRUE(fact(facts, "xen.running").is_null());
  EXPECT_TRUE(facts.facts.unknown_reason("xen.running").has_value());
  EXPECT_NE(reason(facts, "xen.iommu_enabled").find("cannot tell"), std::string::npos);
}

}  // namespace
}  // namespace ptdoctor::testing
