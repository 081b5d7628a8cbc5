#include "dpkg_status.hpp"

#include <gtest/gtest.h>

#include <random>

#include "text_util.hpp"

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

// The stanza reading as deb822(5) states it, one split line and one parsed field at a time: the fast scan must
// agree with it on every input, blank-only and CR-ended lines, fields without values and glued colons included.
std::vector<DpkgPackage> reference_reading(std::string_view status, std::string_view prefix) {
  std::vector<DpkgPackage> packages;
  DpkgPackage current;
  bool installed = false;
  auto finish = [&] {
    if (installed && !current.name.empty() && starts_with(current.name, prefix)) packages.push_back(current);
    current = {};
    installed = false;
  };
  for (std::string_view line : split_lines(status)) {
    if (trim(line).empty()) {
      finish();
      continue;
    }
    if (line.front() == ' ' || line.front() == '\t') continue;
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view field = line.substr(0, colon);
    std::string_view value = trim(line.substr(colon + 1));
    if (field == "Package") current.name = std::string(value);
    if (field == "Version") current.version = std::string(value);
    if (field == "Status") installed = value == "install ok installed";
  }
  finish();
  return packages;
}

TEST(DpkgStatus, AgreesWithTheLineByLineReadingOnAnyText) {
  const std::vector<std::string> pieces = {
      "Package: xen-hypervisor-4.17-amd64", "Package:xen-hypervisor-4.11", "Package: xen-utils", "Package:",
      "Package", "Packages: xen-hypervisor-x", "Version: 4.17.3", "Version:\t1:4.19 ", "Status: install ok installed",
      "Status:  install ok installed\r", "Status: deinstall ok config-files", " Package: xen-hypervisor-c",
      "\tcontinued", " ", "\t\r", "", "\r", "\fPackage: xen-hypervisor-f", "Description: x", ":", "a:b:c",
      "\v", " \v\f", "Section: admin", "Source: xen", "Vendor: x", "Versions: 2", "Pre-Depends: y", "S", "V:", "P"};
  std::mt19937 random(12);
  for (int round = 0; round < 4000; ++round) {
    std::string text;
    const int lines = static_cast<int>(random() % 24);
    for (int i = 0; i < lines; ++i) text += pieces[random() % pieces.size()] + (random() % 9 == 0 ? "" : "\n");
    const auto fast = installed_packages(text, "xen-hypervisor-");
    const auto reference = reference_reading(text, "xen-hypervisor-");
    ASSERT_EQ(fast.size(), reference.size()) << text;
    for (std::size_t i = 0; i < fast.size(); ++i) {
      EXPECT_EQ(fast[i].name, reference[i].name) << text;
      EXPECT_EQ(fast[i].version, reference[i].version) << text;
    }
  }
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
