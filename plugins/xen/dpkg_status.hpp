#pragma once
// /var/lib/dpkg/status: RFC822-like stanzas. Only what the Xen plugin needs: installed packages and versions.
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor::hostplug {

struct DpkgPackage {
  std::string name;
  std::string version;  // as dpkg has it: "4.17.3+10-g091466ba55-1~deb12u1"
};

// Packages whose Status is "install ok installed" and whose name starts with `prefix`.
std::vector<DpkgPackage> installed_packages(std::string_view status, std::string_view prefix);

// "1:4.17.3+10-g0914-1~deb12u1" -> "4.17.3": the upstream version's leading numeric dotted part.
std::string upstream_numeric_version(std::string_view version);

}  // namespace ptdoctor::hostplug
