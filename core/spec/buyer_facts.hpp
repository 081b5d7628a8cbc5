#pragma once
// The facts a buyer's questions are judged on (rules/spec.yaml): what the parts decide about the platform's IOMMU,
// each GPU's known reset and driver behaviour, which display dom0 keeps, what real firmware of the board (or of
// boards with its chipset) published, which parts the database does not know, and the checklist for the built
// machine. All under spec.*; the plugin-shaped facts (cpu.*, acpi.*, gpu.*) are spec_facts.cpp's.
#include <string>

#include "ptdoctor/facts.hpp"
#include "spec/gpu_quirks.hpp"
#include "spec/hwdb.hpp"
#include "spec/parts_list.hpp"

namespace ptdoctor::spec {

struct ResolvedParts {
  const CpuEntry* cpu = nullptr;
  const ChipsetEntry* chipset = nullptr;
  std::string chipset_name;        // as given, or as the motherboard resolved to
  std::string chipset_provenance;  // where the chipset came from (the parts list, the board list, the board's name)
  std::string platform;            // "yes" | "no" | "board" | "unknown": can CPU + chipset remap DMA
  std::string platform_reason;
  std::string platform_source;
};

void buyer_facts(FactStore& facts, const PartsList& parts, const HardwareDatabase& db, const QuirkTable& quirks,
                 const ResolvedParts& resolved);

}  // namespace ptdoctor::spec
