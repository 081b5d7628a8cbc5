#include "fix/rdm_policy.hpp"

#include <algorithm>
#include <cstdio>

namespace ptdoctor::fix {
namespace {

std::string hex(unsigned long long value) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "0x%llx", value);
  return buffer;
}

unsigned long long number(const Json& value) {
  return value.is_number_unsigned() || value.is_number_integer() ? value.get<unsigned long long>() : 0;
}

void add_rmrrs(const Json& rmrrs, const std::string& bdf, std::vector<RdmRegion>& out) {
  for (const Json& rmrr : rmrrs) {
    if (!rmrr.is_object() || !rmrr.contains("devices") || !rmrr["devices"].is_array()) continue;
    const Json& devices = rmrr["devices"];
    if (std::find(devices.begin(), devices.end(), Json(bdf)) == devices.end()) continue;
    RdmRegion region{"RMRR", number(rmrr.value("base", Json())), number(rmrr.value("limit", Json())), {}};
    for (const Json& other : devices) {
      if (other.is_string() && other != bdf) region.shared_with.push_back(other.get<std::string>());
    }
    out.push_back(std::move(region));
  }
}

// IVMD types (AMD IOMMU spec 5.2.2.3): 0x20 every device, 0x21 one device, 0x22 a range. Only unity-mapped blocks
// are reserved memory; exclusion ranges are not mapped into guests.
void add_ivmds(const Json& ivmds, const std::string& bdf, std::vector<RdmRegion>& out) {
  for (const Json& block : ivmds) {
    if (!block.is_object() || block.value("unity", false) != true) continue;
    const std::string type = block.value("type", "");
    const std::string first = block.value("first_bdf", ""), last = block.value("last_bdf", "");
    bool covers = type == "0x20" || (type == "0x21" && first == bdf) ||
                  (type == "0x22" && !first.empty() && !last.empty() && first <= bdf && bdf <= last);
    if (!covers) continue;
    const unsigned long long start = number(block.value("start", Json()));
    const unsigned long long length = number(block.value("length", Json()));
    out.push_back({"IVMD", start, length ? start + length - 1 : start, {}});
  }
}

}  // namespace

RdmDecision rdm_policy_for(const FactReader& facts, const std::string& bdf, long boundary_mb) {
  RdmDecision decision;
  const Json* rmrrs = facts.find("acpi.dmar.rmrr");
  const Json* ivmds = facts.find("acpi.ivrs.ivmd");
  if (rmrrs && rmrrs->is_array()) add_rmrrs(*rmrrs, bdf, decision.regions);
  if (ivmds && ivmds->is_array()) add_ivmds(*ivmds, bdf, decision.regions);
  const bool any_table = (rmrrs && rmrrs->is_array()) || (ivmds && ivmds->is_array());
  if (!any_table) {
    auto why = facts.unknown_reason("acpi.dmar.rmrr");
    if (!why) why = facts.unknown_reason("acpi.ivrs.ivmd");
    decision.unknown = "no DMAR or IVRS facts" + (why ? " (" + *why + ")" : std::string()) +
                       ": the device's reserved memory regions are unknown";
  }
  const unsigned long long boundary = static_cast<unsigned long long>(boundary_mb) << 20;
  for (const RdmRegion& region : decision.regions) {
    std::string why;
    if (!region.shared_with.empty()) {
      std::string peers;
      for (const std::string& peer : region.shared_with) peers += (peers.empty() ? "" : ", ") + peer;
      why = "its " + region.source + " " + hex(region.base) + "-" + hex(region.end) + " is shared with " + peers +
            ": Xen refuses a device with a shared RMRR under the strict policy";
    } else if (region.base < boundary) {
      why = "its " + region.source + " " + hex(region.base) + "-" + hex(region.end) + " lies below rdm_mem_boundary (" +
            std::to_string(boundary_mb) + " MB): under the strict policy libxl fails with \"RDM conflict at " +
            hex(region.base) + "\"";
    }
    if (why.empty()) continue;
    decision.relaxed = true;
    decision.reason += (decision.reason.empty() ? "" : "; ") + why;
  }
  return decision;
}

}  // namespace ptdoctor::fix
