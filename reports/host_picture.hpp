#pragma once
// The picture of the host in the HTML report: the PCI tree as inline SVG, one row per function (indented under
// its bridge), each coloured by readiness (the worst result about it), the target GPU's functions outlined, and
// the sets of functions that go to a guest together drawn as lanes beside the tree: IOMMU groups where Linux
// drives the IOMMU, else (a Xen dom0, where Xen owns the IOMMU and Linux has no groups) USB companion groups and
// devices sharing an RMRR. Built only from the report's facts and results, so it shows what the JSON holds.
#include <string>
#include <vector>

#include "ptdoctor/report.hpp"

namespace ptdoctor::reports {

enum class Readiness { kBlocked, kWarning, kUnknown, kReady, kNotJudged };

struct PictureDevice {
  std::string bdf;     // "0000:03:00.0"
  std::string label;   // "VGA compatible controller: AMD Radeon HD 7970"
  std::string driver;  // "" when none
  int depth = 0;       // bridges above it
  bool target = false; // a function of the target GPU
  Readiness readiness = Readiness::kNotJudged;
  std::vector<std::string> problems;  // "gpu.flr: message" of each problem result about it
};

struct PictureGroup {
  std::string id;     // "14", "usb-0000:00:1d.7", "rmrr-0000:00:1a.0"
  std::string label;  // "IOMMU group 14", "USB companions of 0000:00:1d.7", "shared RMRR"
  std::vector<std::string> members;  // BDFs
};

struct HostPicture {
  std::string grouping;  // "iommu" | "xen" (RMRR and USB companions) | "none"
  std::string caption;
  std::vector<PictureDevice> devices;  // in tree order
  std::vector<PictureGroup> groups;
};

// "03:00.0" and "0000:03:00.0" name the same function: the full form.
std::string full_bdf(const std::string& bdf);
HostPicture host_picture(const RunReport& report);
// The picture as an <svg> element (empty devices: a short note instead).
std::string host_picture_svg(const HostPicture& picture);
const char* readiness_name(Readiness readiness);  // "blocked", "warning", "unknown", "ready", "not-judged"

}  // namespace ptdoctor::reports
