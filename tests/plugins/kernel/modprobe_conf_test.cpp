#include "modprobe_conf.hpp"

#include <gtest/gtest.h>

namespace ptdoctor::hostplug {
namespace {

using List = std::vector<std::string>;

TEST(ModprobeConf, ReadsOptionsSoftdepsInstallsAndBlacklists) {
  ModprobeConf conf;
  parse_modprobe_conf("# comment\noptions xen-pciback hide=(08:00.0)(08:00.1) permissive=1\n"
                      "softdep amdgpu pre: xen-pciback post: snd-hda-intel\n"
                      "install radeon /sbin/modprobe xen-pciback; /sbin/modprobe --ignore-install radeon\n"
                      "blacklist nouveau\n",
                      "/etc/modprobe.d/x.conf", conf);
  EXPECT_EQ(conf.options["xen_pciback"], (List{"hide=(08:00.0)(08:00.1)", "permissive=1"}));
  EXPECT_EQ(conf.option_sources["xen_pciback"], "/etc/modprobe.d/x.conf:2");
  EXPECT_EQ(conf.softdeps["amdgpu"].pre, List{"xen_pciback"});
  EXPECT_EQ(conf.softdeps["amdgpu"].post, List{"snd_hda_intel"});
  EXPECT_EQ(conf.softdeps["amdgpu"].source, "/etc/modprobe.d/x.conf:3");
  EXPECT_EQ(conf.installs["radeon"], "/sbin/modprobe xen-pciback; /sbin/modprobe --ignore-install radeon");
  EXPECT_EQ(conf.blacklist, List{"nouveau"});
  EXPECT_TRUE(conf.problems.empty());
}

TEST(ModprobeConf, InstallCommandStartsAfterTheModuleName) {
  ModprobeConf conf;
  parse_modprobe_conf("install stall /bin/true\n", "f", conf);
  EXPECT_EQ(conf.installs["stall"], "/bin/true");
}

TEST(ModprobeConf, ContinuationLinesJoin) {
  ModprobeConf conf;
  parse_modprobe_conf("options vfio_iommu_type1 \\\n  allow_unsafe_interrupts=1\n", "f", conf);
  EXPECT_EQ(conf.options["vfio_iommu_type1"], List{"allow_unsafe_interrupts=1"});
  EXPECT_EQ(conf.option_sources["vfio_iommu_type1"], "f:1");
}

TEST(ModprobeConf, BadLinesAreProblemsWithFileAndLine) {
  ModprobeConf conf;
  parse_modprobe_conf("options\nfrobnicate xen-pciback\nsoftdep amdgpu xen-pciback\n", "b.conf", conf);
  ASSERT_EQ(conf.problems.size(), 3u);
  EXPECT_EQ(conf.problems[0].rfind("b.conf:1:", 0), 0u);
  EXPECT_EQ(conf.problems[1].rfind("b.conf:2:", 0), 0u);
  EXPECT_EQ(conf.problems[2].rfind("b.conf:3:", 0), 0u);
}

TEST(ModulesList, FirstWordPerLineWithCommentsSkipped) {
  EXPECT_EQ(parse_modules_list("# /etc/modules\nxen-pciback\n; old comment\nloop max_loop=8\n\n"),
            (List{"xen_pciback", "loop"}));
}

}  // namespace
}  // namespace ptdoctor::hostplug
