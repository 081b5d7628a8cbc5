#include "spec/buyer_facts.hpp"

#include <algorithm>
#include <set>

#include "spec/name_match.hpp"

namespace ptdoctor::spec {
namespace {

std::string cite(const std::string& origin, const std::string& source) {
  return "hwdb " + origin + " (" + source + ")";
}

std::string iommu_name(const CpuEntry* cpu) {
  if (cpu == nullptr) return "VT-d or AMD-Vi";
  return cpu->vendor == "AuthenticAMD" ? "AMD-Vi" : "VT-d";
}

constexpr const char* kMissing = "is missing from the parts list";
constexpr const char* kNotInDatabase = "is not in the hardware database";

Json unknown_parts(const PartsList& parts, const HardwareDatabase& db, const ResolvedParts& resolved) {
  const std::string local = " (or keep your own entry in DIR/hwdb/ and pass --rules DIR; see docs/pre-purchase.md)";
  Json unknown = Json::array();
  if (parts.cpu.empty()) {
    unknown.push_back({{"part", "CPU"}, {"problem", kMissing}, {"how", "name it (cpu: \"Core i5-12400F\")"}});
  } else if (resolved.cpu == nullptr) {
    unknown.push_back({{"part", "CPU '" + parts.cpu + "'"},
                       {"problem", kNotInDatabase},
                       {"how", "add it to rules/hwdb/cpus.yaml" + local}});
  }
  if (!parts.chipset.empty() && resolved.chipset == nullptr) {
    unknown.push_back({{"part", "chipset '" + parts.chipset + "'"},
                       {"problem", kNotInDatabase},
                       {"how", "add it to rules/hwdb/chipsets.yaml" + local}});
  } else if (parts.chipset.empty() && !parts.motherboard.empty() && resolved.chipset == nullptr) {
    unknown.push_back({{"part", "motherboard '" + parts.motherboard + "'"},
                       {"problem", kNotInDatabase},
                       {"how",
                        "give its chipset in the parts list (chipset: \"B660\"), or add the board to the "
                        "motherboards list of rules/hwdb/chipsets.yaml" +
                            local}});
  }
  if (parts.gpus.empty()) {
    unknown.push_back({{"part", "GPU"},
                       {"problem", kMissing},
                       {"how", "name the one to pass through (gpus: [\"GeForce RTX 3060\"])"}});
  }
  for (const std::string& gpu : parts.gpus) {
    if (db.find_gpus(gpu).empty()) {
      unknown.push_back({{"part", "GPU '" + gpu + "'"},
                         {"problem", kNotInDatabase},
                         {"how",
                          "give its PCI id as lspci -nn shows it (gpus: [\"10de:2487\"]), or add it to "
                          "rules/hwdb/gpus.yaml" +
                              local}});
    }
  }
  return unknown;
}

void cpu_fact(FactStore& facts, const ResolvedParts& resolved) {
  const CpuEntry* cpu = resolved.cpu;
  if (cpu == nullptr) {
    facts.set_unknown("spec.cpu", resolved.platform_reason);
    return;
  }
  Json igpu = cpu->igpu.empty() ? Json() : Json(cpu->igpu == "true");
  facts.set("spec.cpu",
            {{"model", cpu->model},
             {"iommu", cpu->iommu},
             {"family", cpu->family},
             {"note", cpu->note},
             {"virtualisation", cpu->vmx || cpu->svm},
             {"virt_name", cpu->svm ? "AMD-V (SVM)" : "VT-x"},
             {"igpu", igpu}},
            cite(cpu->origin, cpu->source));
  if (cpu->igpu.empty()) {
    facts.set_unknown("spec.cpu.igpu", "the hardware database does not say whether the " + cpu->model +
                                           " has integrated graphics: see its product page");
  }
}

void platform_fact(FactStore& facts, const ResolvedParts& resolved) {
  const CpuEntry* cpu = resolved.cpu;
  const ChipsetEntry* chipset = resolved.chipset;
  std::string name = iommu_name(cpu);
  std::string basis;
  if (cpu != nullptr && cpu->iommu == "chipset" && chipset != nullptr) {
    basis = name + " in the " + chipset->name + " chipset";
  } else if (cpu != nullptr && cpu->iommu == "true") {
    basis = name + " in the " + cpu->model + (chipset != nullptr ? ", on a " + chipset->name + " board" : "");
  }
  // "unknown" is not an answer a rule may compare with: it is an unknown fact with the reason (a part to add).
  bool open = resolved.platform != "yes" && resolved.platform != "no" && resolved.platform != "board";
  Json platform = {{"iommu", open ? Json() : Json(resolved.platform)},
                   {"board_dependent", resolved.platform == "board"},
                   {"iommu_name", name},
                   {"basis", basis},
                   {"reason", resolved.platform_reason}};
  bool chipset_decides = chipset != nullptr || (cpu != nullptr && cpu->iommu != "chipset");
  platform["intremap_quirk"] =
      chipset_decides ? Json(chipset != nullptr && chipset->iommu_quirk == "no-intremap") : Json();
  platform["quirk_note"] = chipset != nullptr ? chipset->quirk_note : "";
  std::string source = resolved.platform_source.empty() ? "hardware database" : resolved.platform_source;
  facts.set("spec.platform", platform, source);
  if (open) facts.set_unknown("spec.platform.iommu", resolved.platform_reason);
  if (!chipset_decides) {
    facts.set_unknown("spec.platform.intremap_quirk", resolved.platform_reason);
  }
}

// One GPU of the parts list, with what its PCI ids say (several ids may be sold under one name).
Json gpu_item(const std::string& wanted, bool passthrough, const HardwareDatabase& db, const QuirkTable& quirks,
              FactStore& facts, const std::string& path) {
  auto matches = db.find_gpus(wanted);
  // A GPU given by PCI id is named by its pci.ids name in the answer.
  std::string vendor_id, device_id;
  bool by_id = parse_pci_id(wanted, vendor_id, device_id);
  std::string name = by_id && matches.size() == 1 ? matches.front()->pci_ids_name : wanted;
  Json item = {{"name", name}, {"role", passthrough ? "passthrough" : "dom0"}, {"found", !matches.empty()}};
  if (matches.empty()) {
    for (const char* field : {"vendor", "ids", "chips", "pci_name", "reset_bug"}) {
      item[field] = nullptr;
      facts.set_unknown(path + "." + field, "GPU '" + wanted + "' is not in the hardware database");
    }
    return item;
  }
  Json ids = Json::array(), chips = Json::array();
  std::set<std::string> seen_chips;
  int with_reset_bug = 0;
  for (const GpuEntry* match : matches) {
    ids.push_back(match->vendor_id + ":" + match->device_id);
    std::string chip = match->pci_ids_name.substr(0, match->pci_ids_name.find(' '));
    if (seen_chips.insert(chip).second) chips.push_back(chip);
    if (!quirks.loaded) continue;
    Json found = quirks_for(quirks, match->vendor_id, match->device_id);
    with_reset_bug += std::any_of(found.begin(), found.end(), [](const Json& q) { return q["id"] == "amd-reset-bug"; });
  }
  item["vendor"] = matches.front()->vendor;
  item["ids"] = ids;
  item["chips"] = chips;
  item["pci_name"] = matches.front()->pci_ids_name;
  item["reset_bug"] = nullptr;
  if (!quirks.loaded) {
    facts.set_unknown(path + ".reset_bug", quirks.problem.empty() ? "no gpu-quirks.yaml found" : quirks.problem);
  } else if (with_reset_bug == 0 || with_reset_bug == static_cast<int>(matches.size())) {
    item["reset_bug"] = with_reset_bug > 0;
  } else {
    facts.set_unknown(path + ".reset_bug", "the PCI ids sold as '" + wanted + "' (" + ids.dump() +
                                               ") differ: give the exact id in the parts list");
  }
  return item;
}

void gpu_facts(FactStore& facts, const PartsList& parts, const HardwareDatabase& db, const QuirkTable& quirks,
               const ResolvedParts& resolved) {
  if (parts.gpus.empty()) {
    facts.set_unknown("spec.gpus", "no GPU in the parts list (gpus: [\"GeForce RTX 3060\"])");
    facts.set_unknown("spec.layout", "no GPU in the parts list");
    return;
  }
  Json gpus = Json::array();
  for (std::size_t i = 0; i < parts.gpus.size(); ++i) {
    gpus.push_back(gpu_item(parts.gpus[i], i == 0, db, quirks, facts, "spec.gpus." + std::to_string(i)));
  }
  facts.set("spec.gpus", gpus, parts.path + " (the first GPU is the one to pass through)");
  // dom0 needs a display of its own: a second card, or the CPU's integrated graphics.
  Json layout = {{"discrete", gpus.size()}, {"passthrough", gpus.front()["name"]}};
  const CpuEntry* cpu = resolved.cpu;
  bool igpu = cpu != nullptr && cpu->igpu == "true";
  if (gpus.size() >= 2) {
    layout["dom0_display"] = "the " + gpus[1]["name"].get<std::string>();
    layout["dom0_has_display"] = true;
  } else if (igpu) {
    layout["dom0_display"] = "the " + cpu->model + "'s integrated graphics";
    layout["dom0_has_display"] = true;
  } else {
    layout["dom0_display"] = "none";
    if (cpu != nullptr && cpu->igpu == "false") layout["dom0_has_display"] = false;
  }
  std::string source =
      parts.path + (cpu != nullptr && !cpu->igpu.empty() ? "; " + cite(cpu->origin, cpu->igpu_source) : "");
  facts.set("spec.layout", layout, source);
  if (!layout.contains("dom0_has_display")) {
    facts.set_unknown("spec.layout.dom0_has_display", cpu == nullptr
                                                          ? "the CPU is not in the hardware database"
                                                          : "the hardware database does not say whether the " +
                                                                cpu->model + " has integrated graphics");
  }
}

void board_facts(FactStore& facts, const PartsList& parts, const HardwareDatabase& db, const ResolvedParts& resolved) {
  if (resolved.chipset != nullptr) {
    facts.set("spec.chipset",
              {{"name", resolved.chipset->name},
               {"iommu", resolved.chipset->iommu},
               {"family", resolved.chipset->family},
               {"quirk", resolved.chipset->iommu_quirk}},
              resolved.chipset_provenance + "; " + cite(resolved.chipset->origin, resolved.chipset->source));
  }
  // Real firmware: the model's own dumps first, else boards named after the same chipset.
  const BoardFirmware* model = parts.motherboard.empty() ? nullptr : db.find_board_firmware(parts.motherboard);
  Json evidence;
  std::string source;
  if (model != nullptr) {
    Json shared = Json::array();
    for (const auto& region : model->usb_rmrr) {
      if (region.find('+') != std::string::npos) shared.push_back(region);
    }
    evidence = {{"scope", "model"},
                {"subject", model->vendor + " " + model->model},
                {"machines", model->machines},
                {"published", model->dmar + model->ivrs},
                {"none", model->none},
                {"shared_usb_rmrr", shared},
                {"provenance", model->provenance}};
    source = cite(model->origin, model->source);
  } else if (resolved.chipset != nullptr) {
    ChipsetFirmware sum = db.chipset_firmware(*resolved.chipset);
    if (sum.boards > 0) {
      std::string table = resolved.cpu != nullptr && resolved.cpu->vendor == "AuthenticAMD" ? "IVRS" : "DMAR";
      std::string names;
      for (std::size_t i = 0; i < sum.models.size() && i < 3; ++i) names += (i ? ", " : "") + sum.models[i];
      if (sum.models.size() > 3) names += ", ...";
      int published = sum.dmar + sum.ivrs;
      std::string provenance = "firmware of " + std::to_string(sum.machines) + " real machine" +
                               (sum.machines == 1 ? "" : "s") + " with " + resolved.chipset->name + " boards (" +
                               names + "; linuxhw/ACPI): " + std::to_string(published) + " published an IOMMU table (" +
                               table + "), " + std::to_string(sum.none) + " none";
      Json shared = Json::array();
      for (const auto& name : sum.shared_usb_rmrr) shared.push_back(name);
      evidence = {{"scope", "chipset"},       {"subject", resolved.chipset->name + " boards"},
                  {"machines", sum.machines}, {"published", published},
                  {"none", sum.none},         {"shared_usb_rmrr", shared},
                  {"provenance", provenance}};
      source = "hwdb board-firmware.yaml (" + sum.source + ")";
    }
  }
  // Without dumps of this board or of boards with its chipset there is nothing to say, and nothing is said.
  if (!evidence.is_null()) facts.set("spec.firmware", evidence, source);
}

// What to set and check once the machine is built: the firmware options by their usual names, then a snapshot.
Json checklist(const FactStore& facts, const ResolvedParts& resolved) {
  Json items = Json::array();
  const CpuEntry* cpu = resolved.cpu;
  bool amd = cpu != nullptr && cpu->vendor == "AuthenticAMD";
  if (amd) {
    items.push_back(
        "Firmware setup: 'SVM Mode' (AMD-V) Enabled and 'IOMMU' Enabled (AMD CBS / NBIO or Advanced "
        "menu; the name and menu differ by board)");
  } else {
    items.push_back(
        "Firmware setup: 'Intel Virtualization Technology' (VT-x) and 'VT-d' Enabled (Advanced / "
        "Chipset / CPU menu; the name and menu differ by board)");
  }
  if (resolved.chipset != nullptr && resolved.chipset->iommu_quirk == "no-intremap") {
    items.push_back("Xen boot command line: add iommu=no-intremap, or Xen switches the " + resolved.chipset->name +
                    "'s IOMMU off");
  }
  items.push_back("'Above 4G Decoding' Enabled where the firmware offers it (maps large GPU memory windows)");
  items.push_back(
      "'CSM': Disabled for a UEFI boot; a card without a UEFI (GOP) option ROM shows no firmware "
      "screen until CSM is Enabled");
  const Json* display = facts.find("spec.layout.dom0_display");
  const Json* passthrough = facts.find("spec.layout.passthrough");
  if (display != nullptr && display->is_string() && *display != "none" && passthrough != nullptr) {
    bool integrated = display->get<std::string>().find("integrated") != std::string::npos;
    items.push_back(
        std::string("'Primary Display' (or 'Initiate Graphic Adapter'): ") +
        (integrated ? "IGD, monitor on the board's outputs" : "the slot of " + display->get<std::string>()) +
        ", so dom0 boots on it and the " + passthrough->get<std::string>() + " stays secondary");
  }
  items.push_back(
      "Then run `ptdoctor snapshot` on the built machine (or `ptdoctor check` there): it reads the "
      "IOMMU table, IOMMU groups, reset methods and the dom0 kernel that a parts list cannot show");
  return items;
}

}  // namespace

void buyer_facts(FactStore& facts, const PartsList& parts, const HardwareDatabase& db, const QuirkTable& quirks,
                 const ResolvedParts& resolved) {
  facts.set("spec.unknown_parts", unknown_parts(parts, db, resolved), "hardware database lookup of " + parts.path);
  cpu_fact(facts, resolved);
  platform_fact(facts, resolved);
  gpu_facts(facts, parts, db, quirks, resolved);
  board_facts(facts, parts, db, resolved);
  facts.set("spec.checklist", checklist(facts, resolved), "pre-purchase checklist for the parts");
}

}  // namespace ptdoctor::spec
