#pragma once
// Pre-purchase checks: a parts list turned into the facts the plugins would collect on the finished machine, from
// the hardware database alone. The fact paths are the plugins' own (cpu.vmx, acpi.dmar.present, gpu.candidates,
// xen.version, kernel.version, ...), so the same rules judge them. What the database cannot know is `unknown`
// with a reason the report shows: a part missing from the database ("CPU 'X' not in the hardware database; add it
// to rules/hwdb/cpus.yaml"), or a fact only the machine shows ("depends on firmware settings: take a snapshot on
// the machine"). Nothing is guessed.
#include <string>
#include <vector>

#include "engine/collect.hpp"
#include "ptdoctor/result.hpp"
#include "spec/gpu_quirks.hpp"
#include "spec/hwdb.hpp"
#include "spec/parts_list.hpp"

namespace ptdoctor::spec {

inline constexpr const char* kFirmwareReason = "depends on firmware settings: take a snapshot on the machine";
inline constexpr const char* kMachineReason =
    "known only on the assembled machine (pre-purchase check): take a snapshot there";

// Builds the facts; never fails (missing parts become unknown facts).
FactStore facts_from_parts(const PartsList& parts, const HardwareDatabase& db, const QuirkTable& quirks);

// Loads the parts list, the database (<dir>/hwdb/*.yaml) and the quirks (<dir>/gpu-quirks.yaml) from the data
// directories, and returns a collection as if a "spec" plugin had run.
Result<engine::Collection> facts_from_spec(const std::string& parts_path, const std::vector<std::string>& data_dirs);

}  // namespace ptdoctor::spec
