#pragma once
// The per-device rdm_policy decision for a domU's pci= entry, in one place: the planner writes it and the domU
// lint judges existing configs with it.
//
// libxl fails domain creation under the default strict policy when a reserved device memory region (RDM) of an
// assigned device overlaps guest RAM below rdm_mem_boundary (xen-project/xen:tools/libs/light/libxl_dm.c,
// "RDM conflict at 0x..."), and Xen refuses a device whose RMRR is shared with other devices
// (xen/drivers/passthrough/vtd/iommu.c, "disallowed to assign ... with shared RMRR"). The default boundary is 2048 MB
// (docs/man/xl.cfg.5.pod.in rdm_mem_boundary) and the per-device policy defaults to strict
// (docs/man/xl-pci-configuration.5.pod rdm_policy; libxl_pci.c libxl__device_pci_setdefault INVALID -> STRICT).
// RDMs are VT-d RMRRs, and on AMD the IVMD unity ranges Xen reports the same way since 4.16
// (xen/drivers/passthrough/amd/iommu_map.c amd_iommu_get_reserved_device_memory).
#include <optional>
#include <string>
#include <vector>

#include "ptdoctor/facts.hpp"

namespace ptdoctor::fix {

inline constexpr long kDefaultRdmMemBoundaryMb = 2048;

struct RdmRegion {
  std::string source;  // "RMRR" or "IVMD"
  unsigned long long base = 0;
  unsigned long long end = 0;              // inclusive
  std::vector<std::string> shared_with;    // other devices the firmware lists for the same region
};

struct RdmDecision {
  bool relaxed = false;             // write ",rdm_policy=relaxed"
  std::vector<RdmRegion> regions;   // the RDMs of the device
  std::string reason;               // why relaxed (empty when strict is fine)
  std::optional<std::string> unknown;  // set when the firmware tables were not read: the decision is a guess
};

// The policy bdf ("0000:00:14.0") needs in a guest's pci= list. boundary_mb: the guest's rdm_mem_boundary.
RdmDecision rdm_policy_for(const FactReader& facts, const std::string& bdf,
                           long boundary_mb = kDefaultRdmMemBoundaryMb);

}  // namespace ptdoctor::fix
