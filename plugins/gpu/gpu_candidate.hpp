#pragma once
// One gpu.candidates[] entry: the display function, its slot, and the reset and isolation story around it.
#include "pci_facts_view.hpp"
#include "ptdoctor/facts.hpp"
#include "ptdoctor/json.hpp"
#include "quirk_db.hpp"

namespace ptdoctor::gpu {

// PCI classes that are GPUs: VGA, 3D controller, other display controller (REFERENCE §8).
bool is_gpu_class(const std::string& pci_class);

// quirks: null when the quirk data could not be loaded (the candidate's quirks are then null: unknown).
Json build_candidate(const pci::PciFactsView& pci, const FactReader& facts, const Json& device,
                     const QuirkDb* quirks);

}  // namespace ptdoctor::gpu
