#pragma once
// The facts of one domU config: its settings with their lines (as libxlutil reads them), and what they mean on
// this host: are the pci= devices present and bound to pciback or hidden, do their RMRRs conflict with guest
// RAM, are their slot and RMRR peers passed too, does the vif's bridge exist. Rules judge these facts.
#include <optional>
#include <set>
#include <string>

#include "config_files.hpp"
#include "pci_facts_view.hpp"
#include "ptdoctor/facts.hpp"
#include "ptdoctor/host_view.hpp"
#include "ptdoctor/json.hpp"

namespace ptdoctor::domu {

// What every config is judged against, gathered once per run.
struct HostContext {
  HostContext(const HostView& host_view, const FactReader& fact_reader, const pci::PciFactsView& pci_view)
      : host(host_view), facts(fact_reader), pci(pci_view) {}
  const HostView& host;
  const FactReader& facts;
  const pci::PciFactsView& pci;
  std::optional<std::set<std::string>> hidden;  // hide lists, running or next boot; nullopt when unknown
  std::string hidden_unknown;                   // why it is unknown
  bool hidden_partial = false;  // GRUB's next dom0 line could not be read: a device in no known list is unknown
  std::string default_bridge = "xenbr0";        // xl.conf vif.default.bridge (xl.conf(5): default xenbr0)
  std::string default_script = "vif-bridge";    // xl.conf vif.default.script
  std::optional<bool> net_class_present;        // /sys/class/net exists under the root
};

struct ConfigFacts {
  Json config;               // one element of domu.configs
  Json pci = Json::array();  // elements of domu.pci (one per passed function)
  Json vifs = Json::array(); // elements of domu.vifs
};

ConfigFacts config_facts(const ConfigFile& file, const HostContext& context);

// "bridge=xenbr1,mac=00:16:3e:..": the value of one key of a vif spec (xl-network-configuration(5)).
std::optional<std::string> vif_setting(const std::string& spec, const std::string& key);

}  // namespace ptdoctor::domu
