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
    std::vector<std::size_t> pci_index;  // where each candidate sits in pci.devices
    const Json& devices = pci.devices();
    for (std::size_t i = 0; i < devices.size(); ++i) {
      const Json& device = devices[i];
      if (!device["class"].is_string() || !is_gpu_class(device["class"].get<std::string>())) continue;
      candidates.push_back(build_candidate(pci, context.facts, device, quirks ? &*quirks : nullptr));
      pci_index.push_back(i);
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
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      keep_pci_reasons(context.facts, pci_index[c], c, candidates[c], out);
    }
  }

 private:
  // The fields a candidate copies from its pci.devices entry keep the pci plugin's reason when they are unknown
  // (a config space too short to show FLR, say), in gpu.candidates and gpu.target_info alike.
  static void keep_pci_reasons(const FactReader& facts, std::size_t device, std::size_t index, const Json& candidate,
                               FactWriter& out) {
    static const char* const kCopied[] = {"vendor_id",   "device_id",     "class",     "boot_vga",
                                          "driver",      "flr",           "reset_methods", "reset_file",
                                          "iommu_group", "parent_bridge", "bar_total", "pm_no_soft_reset"};
    for (const char* field : kCopied) {
      if (!candidate.contains(field) || !candidate[field].is_null()) continue;
      auto reason = facts.unknown_reason("pci.devices." + std::to_string(device) + "." + field);
      if (!reason) continue;
      out.unknown("candidates." + std::to_string(index) + "." + field, *reason);
      if (candidate["target"] == true) out.unknown(std::string("target_info.") + field, *reason);
    }
  }
};

}  // namespace
}  // namespace ptdoctor::gpu

PTDOCTOR_PLUGIN(ptdoctor::gpu::GpuPlugin)
