#include "config_facts.hpp"

#include <algorithm>

#include "key_lines.hpp"
#include "rdm_conflict.hpp"
#include "xl_parser.hpp"

namespace ptdoctor::domu {
namespace {

const char* kNvidia = "0x10de";
const char* kIntel = "0x8086";

Json value_of(const XlConfig& xl, const std::string& key) {
  if (auto text = xl.text(key.c_str())) return *text;
  if (auto items = xl.list(key.c_str())) return Json(*items);
  return nullptr;
}

Json keys_json(const XlConfig& xl, const std::map<std::string, KeyLines>& lines) {
  Json keys = Json::object();
  for (const auto& [key, where] : lines) keys[key] = {{"line", where.line}, {"value", value_of(xl, key)}};
  return keys;
}

int line_of(const std::map<std::string, KeyLines>& lines, const std::string& key) {
  auto found = lines.find(key);
  return found == lines.end() ? 0 : found->second.line;
}

int item_line(const std::map<std::string, KeyLines>& lines, const std::string& key, std::size_t index) {
  auto found = lines.find(key);
  if (found == lines.end()) return 0;
  if (index < found->second.item_lines.size()) return found->second.item_lines[index];
  return found->second.line;
}

// xl_parse.c: type= wins; builder="hvm" (deprecated since 4.10) or "generic"; otherwise PV on x86. Both are
// matched as prefixes, as xl does (strncmp with the value's length).
std::string domain_type(const XlConfig& xl) {
  auto prefix_of = [](const std::string& value, const std::string& word) {
    return !value.empty() && word.compare(0, value.size(), value) == 0;
  };
  if (auto type = xl.text("type")) {
    for (const char* known : {"hvm", "pv", "pvh"}) {
      if (prefix_of(*type, known)) return known;
    }
    return *type;
  }
  if (auto builder = xl.text("builder")) {
    if (prefix_of(*builder, "hvm")) return "hvm";
    if (prefix_of(*builder, "generic")) return "pv";
    return *builder;
  }
  return "pv";
}

// gfx_passthru=1 or gfx_passthru="igd" turn it on (xl_parse.c); 0 leaves it off.
bool gfx_passthru_on(const XlConfig& xl) {
  if (auto number = xl.number("gfx_passthru")) return *number != 0;
  return xl.text("gfx_passthru").has_value();
}

Json string_list(const std::set<std::string>& items) { return Json(std::vector<std::string>(items.begin(), items.end())); }

struct PassedFunction {
  std::string bdf;
  std::string spec;
  int line = 0;
  PciSpec parsed;
};

}  // namespace

std::optional<std::string> vif_setting(const std::string& spec, const std::string& key) {
  std::size_t start = 0;
  while (start <= spec.size()) {
    std::size_t end = spec.find(',', start);
    if (end == std::string::npos) end = spec.size();
    std::string item = spec.substr(start, end - start);
    item.erase(0, item.find_first_not_of(" \t"));
    if (item.rfind(key + "=", 0) == 0) return item.substr(key.size() + 1);
    start = end + 1;
  }
  return std::nullopt;
}

ConfigFacts config_facts(const ConfigFile& file, const HostContext& context) {
  ConfigFacts out;
  Json& config = out.config;
  config["file"] = file.path;
  config["origin"] = file.origin;
  if (!file.error.empty()) {
    config["parsed"] = false;
    config["error"] = "cannot read it: " + file.error;
    return out;
  }
  XlConfig xl(file.text, file.path);
  if (!xl.ok()) {
    config["parsed"] = false;
    std::string report = xl.report();
    config["error"] = report.empty() ? "libxlutil cannot parse it" : report;
    return out;
  }
  const auto lines = key_lines(file.text);
  config["keys"] = keys_json(xl, lines);
  config["type"] = domain_type(xl);
  auto memory = xl.number("memory");
  auto maxmem = xl.number("maxmem");
  config["memory"] = memory ? Json(*memory) : Json();
  config["maxmem"] = maxmem ? Json(*maxmem) : Json();
  const long boundary = xl.number("rdm_mem_boundary").value_or(kDefaultRdmMemBoundaryMb);
  config["rdm_mem_boundary"] = boundary;
  config["gfx_passthru"] = gfx_passthru_on(xl);

  // pci=: every entry through libxlutil, with the pci_* defaults xl applies first.
  PciDefaults defaults;
  defaults.msitranslate = xl.number("pci_msitranslate").value_or(0) != 0;
  defaults.permissive = xl.number("pci_permissive").value_or(0) != 0;
  defaults.seize = xl.number("pci_seize").value_or(0) != 0;
  std::vector<PassedFunction> passed;
  std::string pci_errors;
  const auto specs = xl.list("pci").value_or(std::vector<std::string>{});
  for (std::size_t index = 0; index < specs.size(); ++index) {
    PciSpec spec = xl.pci(specs[index], defaults);
    const int line = item_line(lines, "pci", index);
    if (!spec.parsed) {
      pci_errors += (pci_errors.empty() ? "" : "; ") + file.path + ":" + std::to_string(line) + ": " + spec.error;
      continue;
    }
    if (spec.bdf.empty()) continue;  // name=: resolved by libxl at create time
    std::vector<std::string> functions = {spec.bdf};
    if (spec.all_functions && context.pci.available()) functions = context.pci.slot_functions(spec.bdf);
    for (const std::string& bdf : functions) passed.push_back({bdf, specs[index], line, spec});
  }
  if (!pci_errors.empty()) {
    // xl exits on the first bad entry ("unable to parse PCI_SPEC_STRING"): the config cannot be created.
    config["parsed"] = false;
    config["error"] = pci_errors;
    return out;
  }
  config["parsed"] = true;
  config["error"] = nullptr;
  config["pci_count"] = passed.size();

  std::set<std::string> passed_bdfs;
  for (const PassedFunction& function : passed) passed_bdfs.insert(function.bdf);

  bool passes_igd = false;
  bool msitranslate_nvidia = false;
  std::set<std::string> msitranslate_bdfs;
  for (const PassedFunction& function : passed) {
    Json entry;
    entry["file"] = file.path;
    entry["line"] = function.line;
    entry["spec"] = function.spec;
    entry["bdf"] = function.bdf;
    entry["rdm_policy"] = function.parsed.rdm_relaxed ? "relaxed" : "strict";
    entry["msitranslate"] = function.parsed.msitranslate;
    const Json* device = context.pci.available() ? context.pci.device(function.bdf) : nullptr;
    if (!context.pci.available()) {
      for (const char* key :
           {"present", "driver", "bound_to_pciback", "vendor_id", "class", "slot_functions_not_passed"}) {
        entry[key] = nullptr;
      }
    } else {
      entry["present"] = device != nullptr;
      entry["driver"] = device ? device->value("driver", Json()) : Json();
      // libxl assigns only what pciback holds (libxl_pci.c libxl_pci_assignable); no driver is not pciback.
      entry["bound_to_pciback"] = device ? Json(entry["driver"] == "pciback") : Json();
      entry["vendor_id"] = device ? device->value("vendor_id", Json()) : Json();
      entry["class"] = device ? device->value("class", Json()) : Json();
      std::set<std::string> missing;
      if (device) {
        for (const std::string& peer : context.pci.slot_functions(function.bdf)) {
          if (!passed_bdfs.count(peer)) missing.insert(peer);
        }
      }
      entry["slot_functions_not_passed"] = string_list(missing);
    }
    if (!context.hidden || (context.hidden_partial && !context.hidden->count(function.bdf))) {
      entry["hidden"] = nullptr;
    } else {
      entry["hidden"] = context.hidden->count(function.bdf) > 0;
    }
    Json rmrrs = pci::rmrrs_covering(context.facts, function.bdf);
    entry["rmrr"] = rmrrs;
    if (rmrrs.is_null()) {
      entry["rmrr_conflict"] = nullptr;
      entry["rmrr_shared"] = nullptr;
      entry["rmrr_peers_not_passed"] = nullptr;
    } else {
      entry["rmrr_conflict"] = rmrr_conflicts_with_guest_ram(rmrrs, memory, boundary);
      std::set<std::string> peers, missing;
      for (const Json& region : rmrrs) {
        for (const Json& peer : region["shared_with"]) peers.insert(peer.get<std::string>());
      }
      for (const std::string& peer : peers) {
        if (!passed_bdfs.count(peer)) missing.insert(peer);
      }
      entry["rmrr_shared"] = !peers.empty();
      entry["rmrr_peers_not_passed"] = string_list(missing);
    }
    // libxl__detect_gfx_passthru_kind (libxl_pci.c): IGD is an Intel VGA-class device.
    if (entry["vendor_id"] == kIntel && entry["class"] == "0x0300") passes_igd = true;
    if (function.parsed.msitranslate) {
      msitranslate_bdfs.insert(function.bdf);
      if (entry["vendor_id"] == kNvidia) msitranslate_nvidia = true;
    }
    out.pci.push_back(std::move(entry));
  }
  config["passes_intel_igd"] = context.pci.available() || passed.empty() ? Json(passes_igd) : Json();
  config["msitranslate_bdfs"] = string_list(msitranslate_bdfs);
  config["msitranslate_nvidia"] = msitranslate_nvidia;
  const int msi_line = line_of(lines, "pci_msitranslate");
  config["msitranslate_line"] = msi_line ? msi_line : (passed.empty() ? 0 : passed.front().line);

  if (auto dm = xl.text("device_model_override")) {
    config["device_model_override"] = {{"path", *dm}, {"line", line_of(lines, "device_model_override")},
                                       {"exists", context.host.exists(*dm)}};
  } else {
    config["device_model_override"] = nullptr;
  }
  if (auto rdm = xl.text("rdm")) {
    config["rdm"] = {{"value", *rdm}, {"line", line_of(lines, "rdm")}, {"accepted", xl.rdm_accepted(*rdm)}};
  } else {
    config["rdm"] = nullptr;
  }

  const auto vifs = xl.list("vif").value_or(std::vector<std::string>{});
  for (std::size_t index = 0; index < vifs.size(); ++index) {
    Json vif;
    vif["file"] = file.path;
    vif["line"] = item_line(lines, "vif", index);
    vif["spec"] = vifs[index];
    const std::string script = vif_setting(vifs[index], "script").value_or(context.default_script);
    const std::string bridge = vif_setting(vifs[index], "bridge").value_or(context.default_bridge);
    // Only the vif-bridge hotplug script needs a bridge (tools/hotplug/Linux/vif-bridge).
    const bool uses_bridge = script.size() >= 10 && script.compare(script.size() - 10, 10, "vif-bridge") == 0;
    vif["script"] = script;
    vif["bridge"] = bridge;
    vif["uses_bridge"] = uses_bridge;
    if (!uses_bridge || !context.net_class_present.value_or(false)) {
      vif["bridge_exists"] = nullptr;
    } else {
      vif["bridge_exists"] = context.host.exists("/sys/class/net/" + bridge + "/bridge");
    }
    out.vifs.push_back(std::move(vif));
  }
  return out;
}

}  // namespace ptdoctor::domu
