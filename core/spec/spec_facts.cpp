#include "spec/spec_facts.hpp"

#include <regex>

#include "ptdoctor/config.hpp"
#include "spec/buyer_facts.hpp"

namespace ptdoctor::spec {
namespace {

struct Platform {
  // "yes": the hardware can remap DMA (the firmware must still enable it); "no": it cannot; "unknown".
  std::string capable = "unknown";
  std::string reason;  // for "no" and "unknown": shown by rules as the reason
  std::string source;
};

std::string cite(const std::string& origin, const std::string& source) {
  return "hwdb " + origin + " (" + source + ")";
}

std::string iommu_name(const std::string& vendor) { return vendor == "AuthenticAMD" ? "AMD-Vi" : "VT-d"; }

// Decides whether CPU and chipset together can do DMA remapping (REFERENCE.md §5/§6: without an IOMMU there is
// no DMAR/IVRS table and Xen assigns no device).
Platform judge_platform(const PartsList& parts, const CpuEntry* cpu, const ChipsetEntry* chipset,
                        const std::string& chipset_name) {
  Platform platform;
  if (cpu == nullptr) {
    platform.reason = parts.cpu.empty() ? "no CPU in the parts list"
                                        : "CPU '" + parts.cpu + "' not in the hardware database; add it to "
                                          "rules/hwdb/cpus.yaml";
    return platform;
  }
  std::string iommu = iommu_name(cpu->vendor);
  if (cpu->iommu == "false") {
    platform.capable = "no";
    platform.reason = "the " + cpu->model + " has no " + iommu + (cpu->note.empty() ? "" : " (" + cpu->note + ")") +
                      ": no PCI passthrough with this CPU, whatever the board";
    platform.source = cite(cpu->origin, cpu->source);
    return platform;
  }
  if (chipset != nullptr && chipset->iommu == "false") {
    platform.capable = "no";
    platform.reason = "the " + chipset->name + " chipset has no " + iommu + ": no PCI passthrough on this board";
    platform.source = cite(chipset->origin, chipset->source);
    return platform;
  }
  if (chipset == nullptr && cpu->iommu == "chipset") {
    platform.reason = chipset_name.empty()
                          ? "the " + iommu + " of the " + cpu->model +
                                "'s platform is in the chipset: give chipset or motherboard in the parts list"
                          : "chipset '" + chipset_name + "' not in the hardware database; add it to "
                                                         "rules/hwdb/chipsets.yaml";
    return platform;
  }
  if (chipset != nullptr && chipset->iommu == "board") {
    platform.capable = "board";
    platform.reason = "whether " + chipset->name + " boards expose " + iommu + " depends on the motherboard and " +
                      kFirmwareReason;
    platform.source = cite(chipset->origin, chipset->source);
    return platform;
  }
  platform.capable = "yes";
  platform.source = cite(cpu->origin, cpu->source) + (chipset != nullptr ? "; " + cite(chipset->origin, chipset->source) : "");
  return platform;
}

void cpu_facts(FactStore& facts, const PartsList& parts, const CpuEntry* cpu) {
  if (cpu == nullptr) {
    std::string reason = parts.cpu.empty()
                             ? "no CPU in the parts list"
                             : "CPU '" + parts.cpu + "' not in the hardware database; add it to rules/hwdb/cpus.yaml";
    facts.set_unknown("cpu", reason);
    if (!parts.cpu.empty()) facts.set("cpu.brand", parts.cpu, parts.path);
    return;
  }
  std::string source = cite(cpu->origin, cpu->source);
  facts.set("cpu.vendor", cpu->vendor, source);
  facts.set("cpu.brand", parts.cpu, parts.path);
  facts.set("cpu.vmx", cpu->vmx, source);
  facts.set("cpu.svm", cpu->svm, source);
  // Bare metal, as the cpu plugin reports it: vendor "" and name "none".
  facts.set("cpu.hypervisor.present", false, "pre-purchase: the planned machine runs Xen on bare metal");
  facts.set("cpu.hypervisor.vendor", "", "pre-purchase: bare metal");
  facts.set("cpu.hypervisor.name", "none", "pre-purchase: bare metal");
  facts.set("cpu.source", "hwdb", source);
  facts.set("cpu.disagreements", Json::array(), source);
  for (const char* field : {"cpu.family", "cpu.model", "cpu.stepping"}) {
    facts.set_unknown(field, "not in the hardware database: CPUID on the machine gives it");
  }
  // Firmware can switch VT-x/AMD-V off (and recent kernels then drop the flag from /proc/cpuinfo).
  bool capable = cpu->vmx || cpu->svm;
  for (auto [flag, has] : {std::pair{"vmx", cpu->vmx}, {"svm", cpu->svm}}) {
    std::string path = std::string("cpu.cpuinfo.flags.") + flag;
    if (has) facts.set_unknown(path, kFirmwareReason);
    else facts.set(path, false, source);
  }
  facts.set("cpu.cpuinfo.flags.hypervisor", false, "pre-purchase: bare metal");
  // The cpu plugin's summary facts (rules/cpu.yaml judges these): the CPU has the feature; whether the firmware
  // leaves it on is for the machine to show.
  if (capable) {
    facts.set("cpu.virt.technology", cpu->vmx ? "VT-x" : "AMD-V", source);
    facts.set("cpu.virt.supported", true, source);
    facts.set_unknown("cpu.virt.firmware_disabled", kFirmwareReason);
    facts.set_unknown("cpu.virt.firmware_evidence", kFirmwareReason);
    facts.set_unknown("cpu.msr", kFirmwareReason);
  } else {
    facts.set("cpu.virt.supported", false, source);
    facts.set("cpu.virt.problem", "the " + cpu->model + " has neither VT-x nor AMD-V (hardware database)", source);
  }
}

void acpi_facts(FactStore& facts, const CpuEntry* cpu, const Platform& platform) {
  // An Intel platform never has IVRS, an AMD one never DMAR: only the vendor's own table is in question.
  std::string own = cpu != nullptr && cpu->vendor == "AuthenticAMD" ? "acpi.ivrs" : "acpi.dmar";
  std::string other = own == "acpi.dmar" ? "acpi.ivrs" : "acpi.dmar";
  if (cpu != nullptr) facts.set(other + ".present", false, cite(cpu->origin, cpu->source));
  if (platform.capable == "no") {
    facts.set(own + ".present", false, platform.source + ": " + platform.reason);
    facts.set("spec.platform.iommu_capable", false, platform.source);
  } else if (platform.capable == "yes") {
    facts.set_unknown(own + ".present", std::string("the hardware supports it; whether the table is there ") +
                                            kFirmwareReason);
    facts.set_unknown("acpi.iommu_table", kFirmwareReason);
    facts.set("spec.platform.iommu_capable", true, platform.source);
  } else {
    facts.set_unknown(own + ".present", platform.reason);
    if (cpu == nullptr) facts.set_unknown(other + ".present", platform.reason);
    facts.set_unknown("acpi.iommu_table", platform.reason);
    facts.set_unknown("spec.platform.iommu_capable", platform.reason);
  }
  if (!platform.reason.empty()) facts.set("spec.platform.reason", platform.reason, platform.source);
  // The RMRR layout and the BIOS switches are firmware; nothing in a parts list shows them. Without an IOMMU
  // there is no table to have them.
  if (platform.capable != "no") {
    facts.set_unknown(own + ".rmrr", kFirmwareReason);
    facts.set_unknown(own + ".intr_remap", kFirmwareReason);
  }
}

Json gpu_candidate(const std::string& wanted, const HardwareDatabase& db, const QuirkTable& quirks, bool first,
                   std::vector<std::pair<std::string, std::string>>& unknown_fields, std::string& source) {
  auto matches = db.find_gpus(wanted);
  Json candidate = {{"bdf", nullptr},         {"vendor_id", nullptr}, {"device_id", nullptr},
                    {"name", wanted},         {"class", nullptr},     {"functions", nullptr},
                    {"boot_vga", nullptr},    {"target", first},      {"driver", nullptr},
                    {"flr", nullptr},         {"reset_methods", nullptr}, {"bus_peers", nullptr},
                    {"isolation_peers", nullptr}, {"rmrr", nullptr},  {"quirks", nullptr},
                    {"binding", nullptr},     {"reset_summary", nullptr}};
  for (const char* field : {"bdf", "class", "functions", "boot_vga", "driver", "flr", "reset_methods",
                            "bus_peers", "isolation_peers", "binding", "reset_summary"}) {
    unknown_fields.emplace_back(field, kMachineReason);
  }
  unknown_fields.emplace_back("rmrr", kFirmwareReason);
  if (matches.empty()) {
    std::string reason = "GPU '" + wanted + "' not in the hardware database; add it to rules/hwdb/gpus.yaml or give "
                         "its PCI id (vendor:device, as lspci -nn shows it)";
    for (const char* field : {"vendor_id", "device_id", "quirks"}) unknown_fields.emplace_back(field, reason);
    return candidate;
  }
  candidate["vendor_id"] = matches.front()->vendor_id;
  source = cite(matches.front()->origin, matches.front()->source);
  std::string ids;
  for (const GpuEntry* match : matches) ids += (ids.empty() ? "" : ", ") + match->vendor_id + ":" + match->device_id;
  if (matches.size() == 1) {
    candidate["device_id"] = matches.front()->device_id;
    candidate["name"] = matches.front()->pci_ids_name.empty() ? wanted : matches.front()->pci_ids_name;
  } else {
    unknown_fields.emplace_back("device_id", "'" + wanted + "' is sold under several PCI ids (" + ids +
                                                 "): give the exact id in the parts list");
  }
  if (!quirks.loaded) {
    unknown_fields.emplace_back("quirks", quirks.problem.empty() ? "no gpu-quirks.yaml in the data directories"
                                                                 : quirks.problem);
    return candidate;
  }
  // Quirks are known when every id the name may mean has the same ones.
  Json found = quirks_for(quirks, matches.front()->vendor_id, matches.front()->device_id);
  for (const GpuEntry* match : matches) {
    if (quirks_for(quirks, match->vendor_id, match->device_id) != found) {
      unknown_fields.emplace_back("quirks", "the PCI ids sold as '" + wanted + "' (" + ids +
                                                ") differ in quirks: give the exact id in the parts list");
      return candidate;
    }
  }
  candidate["quirks"] = found;
  return candidate;
}

void gpu_facts(FactStore& facts, const PartsList& parts, const HardwareDatabase& db, const QuirkTable& quirks) {
  if (parts.gpus.empty()) {
    facts.set_unknown("gpu", "no GPU in the parts list");
    return;
  }
  Json candidates = Json::array();
  std::vector<std::vector<std::pair<std::string, std::string>>> unknowns;
  std::string source;
  for (std::size_t i = 0; i < parts.gpus.size(); ++i) {
    unknowns.emplace_back();
    std::string gpu_source;
    candidates.push_back(gpu_candidate(parts.gpus[i], db, quirks, i == 0, unknowns.back(), gpu_source));
    source += (source.empty() ? "" : "; ") + (gpu_source.empty() ? parts.path : gpu_source);
  }
  facts.set("gpu.candidates", candidates, source);
  for (std::size_t i = 0; i < unknowns.size(); ++i) {
    for (const auto& [field, reason] : unknowns[i]) {
      facts.set_unknown("gpu.candidates." + std::to_string(i) + "." + field, reason);
    }
  }
  facts.set_unknown("gpu.target", "the slot address (BDF) is " + std::string(kMachineReason));
  facts.set("gpu.target_reason", "pre-purchase: the first GPU of the parts list is the one to pass through",
            parts.path);
}

void xen_facts(FactStore& facts, const PartsList& parts, const Platform& platform) {
  if (parts.xen.empty()) {
    facts.set_unknown("xen", "no Xen version in the parts list (xen: \"4.17\")");
    return;
  }
  static const std::regex kVersion(R"(^(\d+)\.(\d+)(?:[.\-](.*))?$)");
  std::smatch match;
  if (!std::regex_match(parts.xen, match, kVersion)) {
    facts.set_unknown("xen", parts.path + ": xen: '" + parts.xen + "' is not a version like 4.17 or 4.17.5");
    return;
  }
  facts.set("xen.version", parts.xen, parts.path);
  facts.set("xen.installed_version", parts.xen, parts.path);
  facts.set("xen.major", std::stoi(match[1].str()), parts.path);
  facts.set("xen.minor", std::stoi(match[2].str()), parts.path);
  facts.set("xen.extra", match[3].matched ? match[3].str() : "", parts.path);
  facts.set("xen.toolstack", "xl", "pre-purchase: xl is the only toolstack of current Xen");
  facts.set_unknown("xen.running", "pre-purchase: Xen is planned, not running");
  if (platform.capable == "no") {
    facts.set("xen.iommu_enabled", false, platform.source + ": " + platform.reason);
  } else {
    facts.set_unknown("xen.iommu_enabled", platform.capable == "yes" ? kFirmwareReason : platform.reason);
  }
}

void kernel_facts(FactStore& facts, const PartsList& parts) {
  if (!parts.kernel.empty()) facts.set("kernel.version", parts.kernel, parts.path);
  else facts.set_unknown("kernel.version", "no dom0 kernel in the parts list (dom0: {kernel: \"6.1\"})");
  facts.set_unknown("kernel.release", kMachineReason);
  facts.set_unknown("kernel.config", "depends on the dom0 kernel build: take a snapshot on the machine");
  facts.set_unknown("kernel.cmdline", "not configured yet: ptdoctor plan writes it once the machine runs");
  facts.set_unknown("kernel.pciback", "not configured yet: ptdoctor plan writes it once the machine runs");
}

}  // namespace

FactStore facts_from_parts(const PartsList& parts, const HardwareDatabase& db, const QuirkTable& quirks) {
  FactStore facts;
  facts.set("spec.file", parts.path, parts.path);
  facts.set("spec.name", parts.name.empty() ? parts.path : parts.name, parts.path);
  facts.set("spec.parts", {{"cpu", parts.cpu}, {"chipset", parts.chipset}, {"motherboard", parts.motherboard},
                           {"gpus", parts.gpus}, {"xen", parts.xen}, {"distribution", parts.distribution},
                           {"kernel", parts.kernel}},
            parts.path);
  facts.set("spec.hwdb_files", db.files, "hardware database");
  const CpuEntry* cpu = parts.cpu.empty() ? nullptr : db.find_cpu(parts.cpu);
  std::string chipset_name = parts.chipset;
  std::string chipset_provenance = parts.path;
  const ChipsetEntry* chipset = chipset_name.empty() ? nullptr : db.find_chipset(chipset_name);
  if (chipset_name.empty() && !parts.motherboard.empty()) {
    BoardChipset board = db.board_chipset(parts.motherboard);
    if (board.chipset != nullptr) {
      chipset = board.chipset;
      chipset_name = board.chipset->name;
      chipset_provenance = board.provenance;
      facts.set("spec.motherboard_chipset", board.chipset->name, board.provenance);
    } else {
      facts.set_unknown("spec.motherboard_chipset", "motherboard '" + parts.motherboard +
                                                        "' not in the hardware database; give its chipset, or add "
                                                        "it to rules/hwdb/chipsets.yaml");
    }
  }
  Platform platform = judge_platform(parts, cpu, chipset, chipset_name);
  buyer_facts(facts, parts, db, quirks,
              {cpu, chipset, chipset_name, chipset_provenance, platform.capable, platform.reason, platform.source});
  cpu_facts(facts, parts, cpu);
  acpi_facts(facts, cpu, platform);
  gpu_facts(facts, parts, db, quirks);
  xen_facts(facts, parts, platform);
  kernel_facts(facts, parts);
  if (!parts.distribution.empty()) facts.set("spec.distribution", parts.distribution, parts.path);
  facts.set_unknown("pci", kMachineReason);
  facts.set_unknown("usb", kMachineReason);
  return facts;
}

Result<engine::Collection> facts_from_spec(const std::string& parts_path, const std::vector<std::string>& data_dirs) {
  auto parts = load_parts_list(parts_path);
  if (!parts) return parts.error();
  auto db = load_hardware_database(data_dirs);
  if (!db) return db.error();
  engine::Collection collection;
  if (db->files.empty()) {
    collection.diagnostics.push_back({"warning", "spec", "no hardware database (hwdb/*.yaml) in the data "
                                                         "directories: every part is unknown"});
  }
  QuirkTable quirks = load_gpu_quirks(data_dirs);
  if (!quirks.problem.empty()) collection.diagnostics.push_back({"warning", "spec", quirks.problem});
  collection.facts = facts_from_parts(*parts, *db, quirks);
  PluginRun run;
  run.name = "spec";
  run.version = config::kVersion;
  run.path = parts_path;
  collection.runs.push_back(run);
  return collection;
}

}  // namespace ptdoctor::spec
