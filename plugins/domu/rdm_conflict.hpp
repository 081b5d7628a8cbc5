#pragma once
// When an assigned device's reserved memory region (RMRR) makes `xl create` fail under the default strict
// rdm_policy. libxl (tools/libs/light/libxl_dm.c, libxl__domain_device_construct_rdm) moves the guest's low RAM
// below an RDM that starts above rdm_mem_boundary, but an RDM at or below the boundary that overlaps guest RAM is
// "RDM conflict at 0x…": fatal with rdm_policy=strict, a warning with relaxed. Guest low RAM runs from 0 to the
// smaller of `memory` and the 4 GiB hole; rdm_mem_boundary defaults to 2048 MiB (xl.cfg(5)).
// The planner makes the same per-device decision (core/fix/plan_domu.cpp): after both land, one of the two
// should call the other; this function is kept self-contained so that swap is a one-line change.
#include <cstdint>
#include <optional>

#include "ptdoctor/json.hpp"

namespace ptdoctor::domu {

inline constexpr long kDefaultRdmMemBoundaryMb = 2048;

// `rmrrs`: the device's regions as pci::rmrrs_covering gives them ({base, limit, ...}). `memory_mb`: the guest's
// memory= (nullopt: unknown, judged against the boundary alone). True when one region would conflict.
bool rmrr_conflicts_with_guest_ram(const Json& rmrrs, std::optional<long> memory_mb, long rdm_mem_boundary_mb);

}  // namespace ptdoctor::domu
