#include "spec/hwdb.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <cctype>
#include <map>
#include <sstream>

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
    std::string igpu = scalar(group, "igpu");
    if (!igpu.empty() && igpu != "true" && igpu != "false") return bad(path, group, "igpu must be true or false");
    std::string igpu_source = scalar(group, "igpu_source", source);
    std::vector<std::string> igpu_flipped;  // models whose integrated graphics differ from the group's
    for (const YAML::Node& model : group["igpu_exceptions"]) igpu_flipped.push_back(part_key(model.as<std::string>()));
    if (!igpu_flipped.empty() && igpu.empty()) return bad(path, group, "igpu_exceptions without igpu");
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
      if (!igpu.empty()) {
        bool flipped = std::find(igpu_flipped.begin(), igpu_flipped.end(), entry.key) != igpu_flipped.end();
        entry.igpu = (igpu == "true") != flipped ? "true" : "false";
        entry.igpu_source = igpu_source;
      }
      if (item.IsMap() && item["igpu"]) {
        entry.igpu = scalar(item, "igpu");
        entry.igpu_source = entry.source;
      }
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
      ChipsetEntry entry{name,   part_key(name),           scalar(group, "vendor"),
                         scalar(group, "family"), *iommu, scalar(group, "iommu_quirk"),
                         scalar(group, "quirk_note"), source, where(path, item)};
      if (!entry.iommu_quirk.empty() && entry.iommu_quirk != "no-intremap") {
        return bad(path, group, "iommu_quirk must be no-intremap");
      }
      std::string key = entry.key;
      put(db.chipsets, std::move(entry), key, db.index.chipsets);
    }
  }
  if (const YAML::Node boards = root["motherboards"]) {
    std::string source = scalar(boards, "source");
    for (const YAML::Node& item : boards["boards"]) {
      std::string model = scalar(item, "model");
      BoardEntry entry{model, board_key(model), scalar(item, "chipset"), scalar(item, "source", source),
                       where(path, item)};
      if (entry.model.empty() || entry.chipset.empty()) return bad(path, item, "a board needs model and chipset");
      if (entry.source.empty()) return bad(path, item, "board without a source: cite where the chipset comes from");
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

int count(const std::string& path, const YAML::Node& item, const char* key) {
  try {
    return item[key] ? item[key].as<int>() : 0;
  } catch (const YAML::Exception&) {
    throw YAML::ParserException(item[key].Mark(), std::string(key) + " must be a whole number (" + path + ")");
  }
}

Status load_board_firmware(const std::string& path, const YAML::Node& root, HardwareDatabase& db) {
  std::string source = scalar(root, "source");
  if (source.empty()) return bad(path, root, "board-firmware without a source: cite where the dumps come from");
  for (const YAML::Node& item : root["boards"]) {
    BoardFirmware entry;
    entry.vendor = scalar(item, "vendor");
    entry.model = scalar(item, "model");
    entry.kind = scalar(item, "kind");
    entry.provenance = scalar(item, "provenance");
    entry.source = source;
    entry.origin = where(path, item);
    if (entry.model.empty()) return bad(path, item, "a board-firmware entry needs a model");
    if (entry.provenance.empty()) {
      return bad(path, item, "board-firmware entry without provenance: say which real machines it comes from");
    }
    entry.machines = count(path, item, "machines");
    entry.dmar = count(path, item, "dmar");
    entry.ivrs = count(path, item, "ivrs");
    entry.none = count(path, item, "none");
    entry.intr_remap = count(path, item, "intr_remap");
    if (entry.machines <= 0 || entry.dmar + entry.ivrs + entry.none != entry.machines) {
      return bad(path, item, "machines must be dmar + ivrs + none, and at least 1");
    }
    for (const YAML::Node& region : item["usb_rmrr"]) entry.usb_rmrr.push_back(region.as<std::string>());
    entry.key = board_key(entry.vendor + " " + entry.model);
    std::string key = entry.key;
    put(db.board_firmware, std::move(entry), key, db.index.board_firmware);
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
    else if (table == "board-firmware") loaded = load_board_firmware(path, root, into);
    else return bad(path, root, "table must be cpus, chipsets, gpus or board-firmware");
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
  auto found = index.boards.find(board_key(model));
  return found == index.boards.end() ? nullptr : &boards[found->second];
}

const ChipsetEntry* HardwareDatabase::chipset_in_name(const std::string& model, std::string& token) const {
  auto lookup = [this](const std::string& key) -> const ChipsetEntry* {
    bool bare_number = key.find_first_not_of("0123456789") == std::string::npos;
    auto found = index.chipsets.find(key);
    return bare_number || found == index.chipsets.end() ? nullptr : &chipsets[found->second];
  };
  std::string words = board_key(model);
  std::istringstream stream(words);
  std::string word;
  while (stream >> word) {
    // Board names put a series prefix before the chipset (ASUS "P8Z68", Gigabyte "EX58" and "AX370", ASRock
    // "AB350", Biostar "TB250") and a form-factor or edition letter after it ("B660M" micro-ATX, "Z170I"
    // mini-ITX, "Z270N", "Z97X", "X570S").
    for (std::string prefix : {"", "p8", "p9", "e", "a", "t"}) {
      if (word.rfind(prefix, 0) != 0) continue;
      std::string rest = word.substr(prefix.size());
      if (const ChipsetEntry* hit = lookup(rest)) {
        token = word;
        return hit;
      }
      if (rest.size() > 3 && std::string("minxs").find(rest.back()) != std::string::npos) {
        if (const ChipsetEntry* hit = lookup(rest.substr(0, rest.size() - 1))) {
          token = word;
          return hit;
        }
      }
    }
  }
  return nullptr;
}

BoardChipset HardwareDatabase::board_chipset(const std::string& model) const {
  BoardChipset resolved;
  if (const BoardEntry* board = find_board(model)) {
    resolved.chipset = find_chipset(board->chipset);
    resolved.provenance = "hwdb " + board->origin + " (" + board->source + ")";
    return resolved;
  }
  std::string token;
  resolved.chipset = chipset_in_name(model, token);
  if (resolved.chipset != nullptr) {
    for (char& c : token) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    resolved.provenance = "the board's model name names the chipset ('" + token + "' is " + resolved.chipset->name +
                          "; boards are named after their chipset)";
  }
  return resolved;
}

const BoardFirmware* HardwareDatabase::find_board_firmware(const std::string& model) const {
  std::string key = board_key(model);
  if (auto found = index.board_firmware.find(key); found != index.board_firmware.end()) {
    return &board_firmware[found->second];
  }
  // The parts list may name the model without its vendor, or with another spelling of the vendor.
  const BoardFirmware* match = nullptr;
  for (const auto& entry : board_firmware) {
    if (board_key(entry.model) == key) {
      if (match != nullptr) return nullptr;  // two vendors' models of that name: ambiguous, never guessed
      match = &entry;
    }
  }
  return match;
}

ChipsetFirmware HardwareDatabase::chipset_firmware(const ChipsetEntry& chipset) const {
  ChipsetFirmware sum;
  for (const auto& entry : board_firmware) {
    if (entry.kind != "Desktop" && entry.kind != "Server") continue;
    std::string token;
    if (chipset_in_name(entry.model, token) != &chipset) continue;
    sum.boards += 1;
    sum.machines += entry.machines;
    sum.dmar += entry.dmar;
    sum.ivrs += entry.ivrs;
    sum.none += entry.none;
    sum.intr_remap += entry.intr_remap;
    sum.models.push_back(entry.vendor + " " + entry.model);
    sum.source = entry.source;
    for (const auto& region : entry.usb_rmrr) {
      if (region.find('+') != std::string::npos) {
        sum.shared_usb_rmrr.push_back(entry.vendor + " " + entry.model);
        break;
      }
    }
  }
  return sum;
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
