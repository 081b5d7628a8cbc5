// The domu plugin: every xl domU config in /etc/xen (or the files named with --domu), parsed by Xen's own
// libxlutil, with each setting's line and what its pci= and vif= entries mean on this host. rules/domu.yaml
// judges them against this host and the xl version that will read them.
#include "config_facts.hpp"
#include "config_files.hpp"
#include "pci_facts_view.hpp"
#include "ptdoctor/plugin_api.hpp"
#include "xl_parser.hpp"
#include "xlutil_library.hpp"

namespace ptdoctor::domu {
namespace {

// The xl that reads the configs: the installed tools first (a newer xl may be installed but not yet booted
// into), then the running hypervisor's version.
void collect_xl_version(const FactReader& facts, FactWriter& out) {
  for (const char* path : {"xen.installed_version", "xen.version"}) {
    const Json* version = facts.find(path);
    if (version && version->is_string() && !version->get<std::string>().empty()) {
      out.set("xl_version", *version, path);
      return;
    }
  }
  out.unknown("xl_version", "neither installed Xen packages (xen.installed_version) nor a running Xen "
                            "(xen.version) tell which xl reads the configs");
}

// Hidden from dom0 now or from the next boot on: the running hide list (command line, modprobe.d) and the one
// GRUB will put on the Xen entries' dom0 line. Unknown when neither could be read; `partial` when GRUB is in use
// but its dom0 line could not be read (an unparseable /etc/default/grub): a device in no list read may still be
// hidden from the next boot, or not.
std::optional<std::set<std::string>> hidden_bdfs(const FactReader& facts, std::string& why, bool& partial) {
  std::optional<std::set<std::string>> bdfs;
  for (const char* path : {"kernel.pciback.hide", "kernel.grub.xen_dom0_pciback_hide"}) {
    const Json* hide = facts.find(path);
    if (!hide || !hide->is_array()) {
      auto reason = facts.unknown_reason(path);
      why += (why.empty() ? "" : "; ") + std::string(path) + ": " + (reason ? *reason : "not collected");
      const Json* grub_files = facts.find("kernel.grub.files");
      if (std::string_view(path) == "kernel.grub.xen_dom0_pciback_hide" && grub_files && grub_files->is_array()) {
        partial = true;
      }
      continue;
    }
    if (!bdfs) bdfs.emplace();
    for (const Json& bdf : *hide) {
      if (bdf.is_string()) bdfs->insert(bdf.get<std::string>());
    }
  }
  return bdfs;
}

// /etc/xen/xl.conf vif.default.bridge and vif.default.script (xl.conf(5)), read like xl does (tools/xl/xl.c).
void apply_xl_conf(const Result<std::string>& text, HostContext& context) {
  if (!text) return;
  XlConfig conf(*text, "/etc/xen/xl.conf");
  if (auto bridge = conf.text("defaultbridge")) context.default_bridge = *bridge;  // deprecated spelling
  if (auto bridge = conf.text("vif.default.bridge")) context.default_bridge = *bridge;
  if (auto script = conf.text("vif.default.script")) context.default_script = *script;
}

class DomuPlugin final : public Plugin {
 public:
  PluginInfo info() const override {
    return {"domu",
            "1.0.0",
            "domu",
            "xl domU configs in /etc/xen or named with --domu: settings with lines (libxlutil), pci= and vif= "
            "entries checked against this host",
            {"domu.configs", "domu.pci", "domu.vifs", "domu.skipped", "domu.xl_version"},
            {"pci", "acpi", "kernel", "xen"}};
  }

  void collect(const CollectContext& context, FactWriter& out) override {
    collect_xl_version(context.facts, out);
    auto named = context.options.find("domu");
    ConfigSelection selection =
        select_configs(context.host, named == context.options.end() ? std::vector<std::string>{} : named->second);
    Json skipped = Json::array();
    for (const SkippedFile& file : selection.skipped) skipped.push_back({{"file", file.path}, {"reason", file.reason}});
    out.set("skipped", skipped, "/etc/xen");
    if (selection.unknown) {
      for (const char* path : {"configs", "pci", "vifs"}) out.unknown(path, "/etc/xen: " + *selection.unknown);
      return;
    }
    pci::PciFactsView pci(context.facts);
    HostContext host{context.host, context.facts, pci};
    host.hidden = hidden_bdfs(context.facts, host.hidden_unknown, host.hidden_partial);
    host.net_class_present = context.host.exists("/sys/class/net");
    // Read whatever follows (a snapshot archives what was read), parsed only for configs that need its defaults.
    auto xl_conf = context.host.read_file("/etc/xen/xl.conf", kMaxConfigBytes);
    if (!selection.files.empty()) {
      // libxlutil is loaded only now, when there is a config to parse (xlutil_library.hpp).
      if (auto library = xlutil(); !library) {
        for (const char* path : {"configs", "pci", "vifs"}) out.unknown(path, library.error().message);
        return;
      }
      apply_xl_conf(xl_conf, host);
    }

    Json configs = Json::array(), entries = Json::array(), vifs = Json::array();
    for (const ConfigFile& file : selection.files) {
      ConfigFacts facts = config_facts(file, host);
      if (facts.config.value("parsed", false) == false) {
        out.diagnostic(file.path + ": " + facts.config.value("error", std::string("cannot be parsed")));
      }
      configs.push_back(std::move(facts.config));
      for (Json& entry : facts.pci) entries.push_back(std::move(entry));
      for (Json& vif : facts.vifs) vifs.push_back(std::move(vif));
    }
    const std::string source = named == context.options.end() ? "/etc/xen (libxlutil)" : "--domu (libxlutil)";
    out.set("configs", configs, source);
    out.set("pci", entries, source + ", pci.devices, kernel.pciback.hide, kernel.grub, acpi.dmar.rmrr");
    out.set("vifs", vifs, source + ", /etc/xen/xl.conf, /sys/class/net");
    // Nested unknowns get their reason, so a rule that needs them says why it cannot tell.
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const std::string at = "pci." + std::to_string(i) + ".";
      if (entries[i]["hidden"].is_null()) out.unknown(at + "hidden", host.hidden_unknown);
      if (entries[i]["present"].is_null()) out.unknown(at + "present", "no PCI device list: " + pci.reason());
      if (entries[i]["rmrr_conflict"].is_null()) {
        out.unknown(at + "rmrr_conflict", "no RMRR facts (acpi.dmar.rmrr was not collected)");
      }
    }
    for (std::size_t i = 0; i < vifs.size(); ++i) {
      if (vifs[i]["uses_bridge"] == true && vifs[i]["bridge_exists"].is_null()) {
        out.unknown("vifs." + std::to_string(i) + ".bridge_exists", "no /sys/class/net under the root");
      }
    }
  }
};

}  // namespace
}  // namespace ptdoctor::domu

PTDOCTOR_PLUGIN(ptdoctor::domu::DomuPlugin)
