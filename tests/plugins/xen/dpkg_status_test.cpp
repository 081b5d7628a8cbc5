#include "dpkg_status.hpp"

#include <gtest/gtest.h>

namespace ptdoctor::hostplug {
namespace {

TEST(DpkgStatus, OnlyInstalledPackagesWithThePrefix) {
  auto packages = installed_packages(
      "Package: xen-hypervisor-4.17-amd64\nStatus: install ok installed\nVersion: 4.17.3+10-g091466ba55-1~deb12u1\n"
      "Description: Xen\n long text\n\n"
      "Package: xen-hypervisor-4.11-amd64\nStatus: deinstall ok config-files\nVersion: 4.11.4\n\n"
      "Package: xen-utils-4.17\nStatus: install ok installed\nVersion: 4.17.3\n",
      "xen-hypervisor-");
  ASSERT_EQ(packages.size(), 1u);
  EXPECT_EQ(packages[0].name, "xen-hypervisor-4.17-amd64");
  EXPECT_EQ(packages[0].version, "4.17.3+10-g091466ba55-1~deb12u1");
}

TEST(DpkgStatus, GarbageDoesNotCrashOrInvent) {
  EXPECT_TRUE(installed_packages("\x00garbage\n: \nPackage\n\n\n", "xen-").empty());
  EXPECT_TRUE(installed_packages("", "xen-").empty());
}

TEST(DpkgStatus, UpstreamNumericVersion) {
  EXPECT_EQ(upstream_numeric_version("4.17.3+10-g091466ba55-1~deb12u1"), "4.17.3");
  EXPECT_EQ(upstream_numeric_version("1:4.19.1-1"), "4.19.1");
  EXPECT_EQ(upstream_numeric_version("4.20.0~rc1"), "4.20.0");
  EXPECT_EQ(upstream_numeric_version(""), "");
  EXPECT_EQ(upstream_numeric_version("abc"), "");
}

}  // namespace
}  // namespace ptdoctor::hostplug
