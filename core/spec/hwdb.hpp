#pragma once
// The hardware database for pre-purchase checks: rules/hwdb/{cpus,chipsets,gpus}.yaml (kind: hwdb), data only,
// every group citing its source. Loaded from each data directory in order; a later directory's entry for the same
// part replaces an earlier one, so a user's --rules directory can correct or extend the installed database.
#include <map>
#include <string>
#include <vector>

#include "ptdoctor/result.hpp"

namespace ptdoctor::spec {

struct CpuEntry {
  std::string model;   // as written in the database ("Core i7-920")
  std::string key;     // part_key(model)
  std::string vendor;  // "GenuineIntel" | "AuthenticAMD"
  std::string family;
  bool vmx = false;
  bool svm = false;
  std::string iommu;  // "true" | "false" | "chipset"
  std::string igpu;   // "true" | "false" | "" (the database does not say): integrated graphics dom0 can keep
  std::string igpu_source;
  std::string note;
  std::string source;  // citation
  std::string origin;  // file:line
};

struct ChipsetEntry {
  std::string name;  // "X58"
  std::string key;
  std::string vendor;
  std::string family;
  std::string iommu;  // "true" | "false" | "board"
  std::string iommu_quirk;  // "no-intremap": Xen keeps the IOMMU only with interrupt remapping off (X58/5500/5520)
  std::string quirk_note;
  std::string source;
  std::string origin;
};

struct BoardEntry {
  std::string model;
  std::string key;
  std::string chipset;
  std::string source;
  std::string origin;
};

// What the firmware of real machines of one model published (rules/hwdb/board-firmware.yaml, generated from the
// linuxhw/ACPI dumps): evidence about those machines, with its provenance sentence.
struct BoardFirmware {
  std::string vendor;
  std::string model;
  std::string key;  // board_key(vendor + model)
  std::string kind;  // "Desktop", "Server", "Notebook", ...
  int machines = 0, dmar = 0, ivrs = 0, none = 0, intr_remap = 0;
  std::vector<std::string> usb_rmrr;  // RMRR regions over USB controllers; "a+b" = one region shared by a and b
  std::string provenance;
  std::string source;
  std::string origin;
};

// The same figures summed over every board whose model name names one chipset.
struct ChipsetFirmware {
  int boards = 0, machines = 0, dmar = 0, ivrs = 0, none = 0, intr_remap = 0;
  std::vector<std::string> models;            // "ASUSTek Computer PRIME B660-PLUS D4"
  std::vector<std::string> shared_usb_rmrr;   // models whose firmware put USB controllers behind a shared RMRR
  std::string source;
};

// A motherboard resolved to its chipset: from the database's board list, or from the chipset its model name names.
struct BoardChipset {
  const ChipsetEntry* chipset = nullptr;
  std::string provenance;
};

struct GpuEntry {
  std::string vendor;
  std::string vendor_id;  // "0x1002"
  std::string device_id;  // "0x6718"
  std::vector<std::string> names;
  std::vector<std::string> keys;  // part_key of each name
  std::string pci_ids_name;
  std::string source;
  std::string origin;
};

class HardwareDatabase {
 public:
  const CpuEntry* find_cpu(const std::string& name) const;
  // A chipset by name; "X58/ICH10R" or "X58 + ICH10" try each part.
  const ChipsetEntry* find_chipset(const std::string& name) const;
  const BoardEntry* find_board(const std::string& model) const;
  // The board list first; else a chipset named in the model ("PRO B660M-A" -> B660, "P8Z68-V" -> Z68). Chipsets
  // that are bare numbers (5520, 970) are never read from a name: "Precision 5520" is a laptop.
  BoardChipset board_chipset(const std::string& model) const;
  const ChipsetEntry* chipset_in_name(const std::string& model, std::string& token) const;
  const BoardFirmware* find_board_firmware(const std::string& model) const;
  // Desktop and server boards whose model names name this chipset.
  ChipsetFirmware chipset_firmware(const ChipsetEntry& chipset) const;
  // By PCI id ("1002:6718") or by marketing name; several ids may share a name.
  std::vector<const GpuEntry*> find_gpus(const std::string& name_or_id) const;

  std::vector<CpuEntry> cpus;
  std::vector<ChipsetEntry> chipsets;
  std::vector<BoardEntry> boards;
  std::vector<GpuEntry> gpus;
  std::vector<BoardFirmware> board_firmware;
  std::vector<std::string> files;  // what was loaded, for provenance

  // part_key -> position in the tables (loading fills it).
  struct Index {
    std::map<std::string, std::size_t> cpus, chipsets, boards, gpus, board_firmware;
  } index;
};

// Reads <dir>/hwdb/*.yaml for each dir (a dir without hwdb/ is skipped). Errors name file:line:column.
Result<HardwareDatabase> load_hardware_database(const std::vector<std::string>& data_dirs);
// One file (tests, and a user checking an addition).
Status load_hardware_file(const std::string& path, HardwareDatabase& into);

}  // namespace ptdoctor::spec
