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
  // By PCI id ("1002:6718") or by marketing name; several ids may share a name.
  std::vector<const GpuEntry*> find_gpus(const std::string& name_or_id) const;

  std::vector<CpuEntry> cpus;
  std::vector<ChipsetEntry> chipsets;
  std::vector<BoardEntry> boards;
  std::vector<GpuEntry> gpus;
  std::vector<std::string> files;  // what was loaded, for provenance

  // part_key -> position in the tables (loading fills it).
  struct Index {
    std::map<std::string, std::size_t> cpus, chipsets, boards, gpus;
  } index;
};

// Reads <dir>/hwdb/*.yaml for each dir (a dir without hwdb/ is skipped). Errors name file:line:column.
Result<HardwareDatabase> load_hardware_database(const std::vector<std::string>& data_dirs);
// One file (tests, and a user checking an addition).
Status load_hardware_file(const std::string& path, HardwareDatabase& into);

}  // namespace ptdoctor::spec
