// xen.running and what of Xen is installed: the hypervisor package, the xl toolstack, xend leftovers.
#include "dpkg_status.hpp"
#include "read_failure.hpp"
#include "text_util.hpp"
#include "xen_collectors.hpp"

namespace ptdoctor::hostplug {
namespace {

// xend was removed in Xen 4.5; its config and init scripts left behind mislead old guides' readers.
constexpr const char* kXendFiles[] = {"/etc/xen/xend-config.sxp", "/etc/init.d/xend", "/usr/sbin/xend",
                                      "/etc/xen/xend-pci-permissive.sxp", "/etc/xen/xend-pci-quirks.sxp"};

// "4.9" < "4.17": numeric per dotted component.
bool version_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    unsigned long x = 0, y = 0;
    while (i < a.size() && a[i] != '.') x = x * 10 + static_cast<unsigned long>(a[i++] - '0');
    while (j < b.size() && b[j] != '.') y = y * 10 + static_cast<unsigned long>(b[j++] - '0');
    if (x != y) return x < y;
    ++i;
    ++j;
  }
  return false;
}

}  // namespace

std::optional<bool> collect_running(const CollectContext& context, FactWriter& out) {
  const HostView& host = context.host;
  auto type = host.read_file("/sys/hypervisor/type");
  if (type) {
    bool xen = trim(*type) == "xen";
    out.set("running", xen, "/sys/hypervisor/type");
    return xen;
  }
  // An offline snapshot may carry xl captures without /sys/hypervisor.
  if (host.capture("xl-info.txt")) {
    out.set("running", true, "xl-info.txt capture");
    return true;
  }
  if (host.exists("/sys")) {
    out.set("running", false, "/sys/hypervisor/type (absent)");
    return false;
  }
  out.unknown("running", "no /sys/hypervisor/type and no /sys in this root");
  return std::nullopt;
}

void collect_installation(const CollectContext& context, FactWriter& out) {
  const HostView& host = context.host;
  std::vector<std::string> xend;
  for (const char* path : kXendFiles) {
    if (host.exists(path)) xend.push_back(path);
  }
  out.set("xend_present", !xend.empty(), "/etc/xen, /etc/init.d, /usr/sbin");
  out.set("xend_files", xend, "/etc/xen, /etc/init.d, /usr/sbin");
  if (host.exists("/usr/sbin/xl") || host.capture("xl-info.txt")) {
    out.set("toolstack", "xl", host.exists("/usr/sbin/xl") ? "/usr/sbin/xl" : "xl-info.txt capture");
  } else {
    out.unknown("toolstack", "no /usr/sbin/xl: the Xen tools are not installed (Debian: xen-utils)");
  }

  const std::string status_path = "/var/lib/dpkg/status";
  auto status = host.read_file(status_path);
  if (!status) {
    // Null, not unknown: "no Xen package known" lets the running rules choose their message without becoming
    // unknown on systems without dpkg; the source says why.
    out.set("installed_version", nullptr, read_failure(status_path, status.error()) + " (not Debian-like?)");
    out.unknown("installed_packages", read_failure(status_path, status.error()));
    return;
  }
  Json packages = Json::array();
  std::string best;
  for (const DpkgPackage& package : installed_packages(*status, "xen-hypervisor-")) {
    packages.push_back({{"name", package.name}, {"version", package.version}});
    std::string version = upstream_numeric_version(package.version);
    if (best.empty() || version_less(best, version)) best = version;
  }
  out.set("installed_packages", std::move(packages), status_path);
  if (best.empty()) {
    out.set("installed_version", nullptr, status_path + " (no xen-hypervisor-* package installed)");
  } else {
    out.set("installed_version", best, status_path);
  }
}

}  // namespace ptdoctor::hostplug
