#include "spec/hwdb.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "spec/name_match.hpp"

namespace ptdoctor::spec {
namespace {

std::string where(const std::string& path, const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0) return path;
  return path + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

Error bad(const std::string& path, const YAML::Node& node, const std::string& what) {
  return make_error(ErrorKind::kInvalidInput, where(path, node) + ": " + what +
                                                  " (the format is described in docs/pre-purchase.md)");
}

std::string scalar(const YAML::Node& node, const char* key, const std::string& fallback = "") {
  const YAML::Node value = node[key];
  return value && value.IsScalar() ? value.as<std::string>() : fallback;
}

// "iommu: true|false|chipset|board" (YAML booleans arrive as "true"/"false" scalars).
Result<std::string> iommu_value(const std::string& path, const YAML::Node& node, const std::string& fallback,
                                std::initializer_list<const char*> allowed) {
  std::string value = scalar(node, "iommu", fallback);
  for (const char* ok : allowed) {
    if (value == ok) return value;
  }
  return bad(path, node["iommu"] ? node["iommu"] : node, "iommu must be one of true, false, chipset or board");
}

bool truthy(const YAML::Node& node, const char* key) { return scalar(node, key) == "true"; }

template <class Entry>
void put(std::vector<Entry>& table, Entry entry, const std::string& key, std::map<std::string, std::size_t>& index) {
  auto [at, added] = index.emplace(key, table.size());
  if (added) table.push_back(std::move(entry));
  else table[at->second] = std::move(entry);  // later files correct earlier ones
}

Status load_cpus(const std::string& path, const YAML::Node& root, HardwareDatabase& db) {
  for (const YAML::Node& group : root["groups"]) {
    std::string source = scalar(group, "source");
    if (source.empty()) return bad(path, group, "group without a source: cite where the facts come from");
    std::string vendor = scalar(group, "vendor");
    if (vendor != "GenuineIntel" && vendor != "AuthenticAMD") {
      return bad(path, group, "vendor must be GenuineIntel or AuthenticAMD");
    }
    auto group_iommu = iommu_value(path, group, "", {"true", "false", "chipset"});
    if (!group_iommu) return group_iommu.error();
    if (!group["models"] || !group["models"].IsSequence()) return bad(path, group, "group without a models list");
    for (const YAML::Node& item : group["models"]) {
      CpuEntry entry;
      entry.vendor = vendor;
      entry.family = scalar(group, "family");
      entry.vmx = truthy(group, "vmx");
      entry.svm = truthy(group, "svm");
      entry.source = source;
      entry.origin = where(path, item);
      entry.iommu = *group_iommu;
      if (item.IsScalar()) {
        entry.model = item.as<std::string>();
      } else if (item.IsMap() && item["model"]) {
        entry.model = scalar(item, "model");
        entry.note = scalar(item, "note");
        auto iommu = iommu_value(path, item, *group_iommu, {"true", "false", "chipset"});
        if (!iommu) return iommu.error();
        entry.iommu = *iommu;
        if (item["vmx"]) entry.vmx = truthy(item, "vmx");
        if (item["svm"]) entry.svm = truthy(item, "svm");
        if (item["source"]) entry.source = scalar(item, "source");
      } else {
        return bad(path, item, "a model is a name or {model: NAME, ...}");
      }
      entry.key = part_key(entry.model);
      std::string key = entry.key;
      put(db.cpus, std::move(entry), key, db.index.cpus);
    }
  }
  return Ok{};
}

Status load_chipsets(const std::string& path, const YAML::Node& root, HardwareDatabase& db) {
  for (const YAML::Node& group : root["groups"]) {
    std::string source = scalar(group, "source");
    if (source.empty()) return bad(path, group, "group without a source: cite where the facts come from");
    auto iommu = iommu_value(path, group, "", {"true", "false", "board"});
    if (!iommu) return iommu.error();
    if (!group["chipsets"] || !group["chipsets"].IsSequence()) return bad(path, group, "group without chipsets");
    for (const YAML::Node& item : group["chipsets"]) {
      if (!item.IsScalar()) return bad(path, item, "a chipset is a name");
      std::string name = item.as<std::string>();
      ChipsetEntry entry{name, part_key(name), scalar(group, "vendor"), scalar(group, "family"), *iommu, source,
                         where(path, item)};
      std::string key = entry.key;
      put(db.chipsets, std::move(entry), key, db.index.chipsets);
    }
  }
  if (const YAML::Node boards = root["motherboards"]) {
    std::string source = scalar(boards, "source");
    for (const YAML::Node& item : boards["boards"]) {
      std::string model = scalar(item, "model");
      BoardEntry entry{model, part_key(model), scalar(item, "chipset"), scalar(item, "source", source),
                       where(path, item)};
      if (entry.model.empty() || entry.chipset.empty()) return bad(path, item, "a board needs model and chipset");
      std::string key = entry.key;
      put(db.boards, std::move(entry), key, db.index.boards);
    }
  }
  return Ok{};
}

Status load_gpus(const std::string& path, const YAML::Node& root, HardwareDatabase& db) {
  for (const YAML::Node& group : root["groups"]) {
    std::string source = scalar(group, "source");
    if (source.empty()) return bad(path, group, "group without a source: cite where the facts come from");
    std::string vendor_id = scalar(group, "vendor_id");
    std::string ignored;
    for (const YAML::Node& item : group["devices"]) {
      GpuEntry entry;
      entry.vendor = scalar(group, "vendor");
      entry.source = source;
      entry.origin = where(path, item);
      entry.pci_ids_name = scalar(item, "pci_ids_name");
      if (!parse_pci_id(vendor_id + ":" + scalar(item, "id"), entry.vendor_id, entry.device_id)) {
        return bad(path, item, "vendor_id and id must be 4-digit hex PCI ids (\"0x1002\", \"0x6718\")");
      }
      for (const YAML::Node& name : item["names"]) {
        entry.names.push_back(name.as<std::string>());
        entry.keys.push_back(part_key(entry.names.back()));
      }
      std::string key = entry.vendor_id + ":" + entry.device_id;
      put(db.gpus, std::move(entry), key, db.index.gpus);
    }
  }
  return Ok{};
}

}  // namespace

Status load_hardware_file(const std::string& path, HardwareDatabase& into) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    std::string at = e.mark.line >= 0 ? ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1)
                                      : "";
    return make_error(ErrorKind::kInvalidInput, path + at + ": not valid YAML: " + e.msg);
  }
  try {
    if (!root.IsMap() || scalar(root, "kind") != "hwdb") return bad(path, root, "not a hardware database (kind: hwdb)");
    std::string table = scalar(root, "table");
    Status loaded = Ok{};
    if (table == "cpus") loaded = load_cpus(path, root, into);
    else if (table == "chipsets") loaded = load_chipsets(path, root, into);
    else if (table == "gpus") loaded = load_gpus(path, root, into);
    else return bad(path, root, "table must be cpus, chipsets or gpus");
    if (loaded) into.files.push_back(path);
    return loaded;
  } catch (const YAML::Exception& e) {
    return make_error(ErrorKind::kInvalidInput, path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

Result<HardwareDatabase> load_hardware_database(const std::vector<std::string>& data_dirs) {
  namespace fs = std::filesystem;
  HardwareDatabase db;
  for (const std::string& dir : data_dirs) {
    std::error_code ec;
    fs::path hwdb = fs::path(dir) / "hwdb";
    if (!fs::is_directory(hwdb, ec)) continue;
    std::vector<std::string> files;
    for (const auto& item : fs::directory_iterator(hwdb, ec)) {
      if (item.path().extension() == ".yaml") files.push_back(item.path().string());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      if (auto loaded = load_hardware_file(file, db); !loaded) return loaded.error();
    }
  }
  return db;
}

const CpuEntry* HardwareDatabase::find_cpu(const std::string& name) const {
  auto found = index.cpus.find(part_key(name));
  return found == index.cpus.end() ? nullptr : &cpus[found->second];
}

const ChipsetEntry* HardwareDatabase::find_chipset(const std::string& name) const {
  std::string text = name;
  for (char& c : text) {
    if (c == '/' || c == '+' || c == ',') c = '\n';
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    std::string key = part_key(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (auto found = index.chipsets.find(key); !key.empty() && found != index.chipsets.end()) {
      return &chipsets[found->second];
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return nullptr;
}

const BoardEntry* HardwareDatabase::find_board(const std::string& model) const {
  auto found = index.boards.find(part_key(model));
  return found == index.boards.end() ? nullptr : &boards[found->second];
}

std::vector<const GpuEntry*> HardwareDatabase::find_gpus(const std::string& name_or_id) const {
  std::vector<const GpuEntry*> found;
  std::string vendor_id, device_id;
  if (parse_pci_id(name_or_id, vendor_id, device_id)) {
    for (const auto& entry : gpus) {
      if (entry.vendor_id == vendor_id && entry.device_id == device_id) found.push_back(&entry);
    }
    return found;
  }
  std::string key = part_key(name_or_id);
  for (const auto& entry : gpus) {
    if (std::find(entry.keys.begin(), entry.keys.end(), key) != entry.keys.end()) found.push_back(&entry);
  }
  return found;
}

}  // namespace ptdoctor::spec
