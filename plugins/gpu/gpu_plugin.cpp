// The gpu plugin: which GPUs the host has, which one is to be passed (gpu.target), and everything about it that
// decides whether passthrough will work: slot functions, reset, isolation peers, RMRRs, known quirks.
#include "gpu_candidate.hpp"
#include "pci_facts_view.hpp"
#include "ptdoctor/plugin_api.hpp"
#include "quirk_db.hpp"
#include "target_selection.hpp"

namespace ptdoctor::gpu {
namespace {

std::vector<std::string> option(const CollectContext& context, const char* key) {
  auto found = context.options.find(key);
  return found == context.options.end() ? std::vector<std::string>{} : found->second;
}

class GpuPlugin final : public Plugin {
 public:
  PluginInfo info() const override {
    return {"gpu",
            "1.0.0",
            "gpu",
            "GPU candidates, the passthrough target, its slot, reset, isolation, RMRRs and quirks",
            {},  // provides: declared once in plugins/gpu/facts.yaml, filled in by the core
            // kernel: the hide lists decide what a function held by a driver will become (binding.hpp).
            {"pci", "acpi", "kernel"}};
  }

  void collect(const CollectContext& context, FactWriter& out) override {
    pci::PciFactsView pci(context.facts);
    if (!pci.available()) {
      const std::string why = "no PCI device list: " + pci.reason();
      out.unknown("candidates", why);
      out.unknown("target", why);
      out.set("target_reason", why, "pci.devices");
      return;
    }
    auto quirks = QuirkDb::load(option(context, "rules-dir"));
    if (quirks) {
      out.set("quirks_source", quirks->origin(), "options rules-dir");
    } else {
      out.diagnostic(quirks.error().message);
      out.unknown("quirks_source", quirks.error().message);
    }
    if (!context.facts.find("acpi.dmar") && !context.facts.find("acpi.dmar.present")) {
      out.diagnostic("no acpi facts: RMRRs covering the GPU are unknown (run with the acpi plugin)");
    }
    Json candidates = Json::array();
    for (const Json& device : pci.devices()) {
      if (!device["class"].is_string() || !is_gpu_class(device["class"].get<std::string>())) continue;
      candidates.push_back(build_candidate(pci, context.facts, device, quirks ? &*quirks : nullptr));
    }
    const TargetChoice choice = choose_target(candidates, option(context, "gpu"));
    for (Json& candidate : candidates) candidate["target"] = candidate["bdf"] == choice.target;
    out.set("candidates", candidates, "pci.devices, pci.iommu_groups, acpi.dmar.rmrr, gpu-quirks.yaml");
    out.set("count", candidates.size(), "pci.devices");
    out.set("target", choice.target, choice.selected_by == "option" ? "options gpu" : "pci.devices boot_vga");
    out.set("target_reason", choice.reason, "gpu plugin");
    out.set("selected_by", choice.selected_by.empty() ? Json() : Json(choice.selected_by), "gpu plugin");
    for (const Json& candidate : candidates) {
      if (candidate["target"] == true) out.set("target_info", candidate, "gpu.candidates");
    }
  }
};

}  // namespace
}  // namespace ptdoctor::gpu

PTDOCTOR_PLUGIN(ptdoctor::gpu::GpuPlugin)
