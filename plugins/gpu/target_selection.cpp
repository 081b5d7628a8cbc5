#include "target_selection.hpp"

#include "pci_facts_view.hpp"

namespace ptdoctor::gpu {
namespace {

std::string describe(const Json& candidate) {
  std::string text = candidate["bdf"].get<std::string>();
  if (candidate["name"].is_string()) text += " (" + candidate["name"].get<std::string>() + ")";
  return text;
}

std::string list(const std::vector<const Json*>& candidates) {
  std::string text;
  for (const Json* candidate : candidates) text += (text.empty() ? "" : ", ") + describe(*candidate);
  return text;
}

}  // namespace

TargetChoice choose_target(const Json& candidates, const std::vector<std::string>& gpu_option) {
  std::vector<const Json*> all, secondary;
  for (const Json& candidate : candidates) {
    all.push_back(&candidate);
    if (candidate["boot_vga"] != true) secondary.push_back(&candidate);
  }
  if (!gpu_option.empty()) {
    const std::string& given = gpu_option.front();
    auto bdf = pci::normalize_bdf(given);
    if (!bdf) {
      return {nullptr, "--gpu " + given + " is not a PCI address; give BB:DD.F or DDDD:BB:DD.F (see lspci -D)", ""};
    }
    for (const Json* candidate : all) {
      if ((*candidate)["bdf"] == *bdf) return {*bdf, "chosen with --gpu " + given, "option"};
    }
    return {nullptr, "--gpu " + given + " (" + *bdf + ") is not a display controller on this host; GPUs found: " +
                         (all.empty() ? std::string("none") : list(all)),
            ""};
  }
  if (all.empty()) return {nullptr, "no GPU (PCI class 0x0300, 0x0302 or 0x0380) on this host", ""};
  if (secondary.size() == 1) {
    return {(*secondary.front())["bdf"], "the only GPU that is not the boot GPU: " + describe(*secondary.front()),
            "auto"};
  }
  if (secondary.empty()) {
    return {nullptr, "the only GPU(s) here, " + list(all) +
                         ", are the boot GPU dom0 keeps; secondary passthrough needs a second card",
            ""};
  }
  return {nullptr, "several GPUs could be passed: " + list(secondary) + "; choose one with --gpu", ""};
}

}  // namespace ptdoctor::gpu
