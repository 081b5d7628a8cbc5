// Generators for the domU: /etc/xen/NAME.cfg, its first-install variant, the LVM notes, and xl pci-assignable-add.
#include <algorithm>
#include <memory>
#include <regex>
#include <set>

#include "fix/domu_config.hpp"
#include "fix/kconfig_options.hpp"
#include "fix/planner.hpp"
#include "fix/planner_builder.hpp"
#include "fix/rdm_policy.hpp"
#include "ptdoctor/json_fields.hpp"

namespace ptdoctor::fix::detail {
Status Builder::gen_domu() {
  if (choices_.name.empty()) {
    plan_.notes.push_back("no domU config planned: give --name NAME (and --disk SPEC) to generate /etc/xen/NAME.cfg");
    return Ok{};
  }
  std::string path = "/etc/xen/" + choices_.name + ".cfg";
  std::string install_path = "/etc/xen/" + choices_.name + "-install.cfg";
  auto existing = read_current(host_, path);
  if (!existing) return existing.error();
  auto existing_install = read_current(host_, install_path);
  if (!existing_install) return existing_install.error();
  std::optional<DomuIdentity> identity;
  for (const auto* file : {&*existing, &*existing_install}) {
    if (*file && !identity) identity = identity_of_existing(**file);
  }
  for (const auto& [file, where] : {std::pair{&*existing, path}, std::pair{&*existing_install, install_path}}) {
    if (*file && !identity_of_existing(**file)) {
      return add_step(std::make_shared<ManualStepAction>(
                          where + " exists and was not written by ptdoctor: it is left alone. Choose another --name, "
                                  "or move it away and plan again"),
                      "domu.exists", "domu-config", "ptdoctor never overwrites a domU config it did not write", kDomu);
    }
  }
  DomuSpec spec;
  spec.name = choices_.name;
  spec.uuid = identity ? identity->uuid : random_uuid(random_);
  spec.mac = identity ? identity->mac : random_xen_mac(random_);
  spec.bridge = choices_.bridge.empty() ? "xenbr0" : choices_.bridge;
  spec.memory_mb = domu_mb_;
  spec.vcpus = domu_vcpus_;
  spec.disks = choices_.disks;
  spec.cdrom = choices_.cdrom;
  std::string xen_version = fact_string("xen.version");
  if (xen_version.empty()) xen_version = fact_string("xen.installed_version");
  if (!xen_version.empty() && compare_versions(xen_version, "4.10") < 0) {
    spec.legacy_builder = true;
    plan_.warnings.push_back("Xen " + xen_version + " predates type= (4.10): the config uses builder='hvm'; this Xen "
                             "is out of security support, upgrade it");
  }
  std::vector<std::string> warnings;
  std::string strict_unknown, unknown_why;  // devices left strict only because the firmware tables are unknown
  for (const std::string& bdf : plan_.hide_list) {
    const RdmDecision rdm = rdm_policy_for(facts_, bdf);
    spec.pci.push_back({bdf, rdm.relaxed});
    if (rdm.unknown) {
      strict_unknown += (strict_unknown.empty() ? "" : ", ") + bdf;
      unknown_why = *rdm.unknown;
    }
    if (rdm.relaxed) {
      warnings.push_back(bdf + ": " + rdm.reason + ". Its pci= entry says rdm_policy=relaxed; xl.cfg warns that the "
                         "guest may crash or misbehave if the device really uses that region (USB legacy emulation "
                         "usually stops once the guest's driver takes over), or give the guest less memory");
    }
  }
  if (!strict_unknown.empty()) {
    warnings.push_back("rdm_policy is left at strict for " + strict_unknown + ": " + unknown_why + ". If `xl create` "
                       "fails with \"RDM conflict at 0x...\", add ,rdm_policy=relaxed to that device's pci= entry "
                       "(xl-pci-configuration(5)), or run the check as root so the ACPI tables can be read");
  }
  // vif-bridge aborts when the bridge does not exist (xen-project/xen:tools/hotplug/Linux/vif-bridge), so
  // `xl create` fails; Debian creates no bridge by itself.
  if (!host_.exists("/sys/class/net/" + spec.bridge + "/bridge")) {
    warnings.push_back("the bridge " + spec.bridge + " does not exist on this host (no /sys/class/net/" + spec.bridge +
                       "/bridge): `xl create` fails in vif-bridge until it does. Create it (Debian: a bridge stanza "
                       "in /etc/network/interfaces, bridge-utils) or name an existing one with --bridge");
  }
  spec.comments = {"Xen " + (xen_version.empty() ? std::string("(version unknown)") : xen_version) + ", " +
                       std::to_string(spec.memory_mb) + " MiB and " + std::to_string(spec.vcpus) +
                       " vcpu(s), leaving dom0 " + std::to_string(dom0_mb_) + " MiB.",
                   "Check it without starting it: xl create -n " + path};
  std::string why = "the domU for passthrough: type='hvm', " + std::to_string(spec.pci.size()) +
                    " PCI functions, VNC on 127.0.0.1 without a password file (reach it through ssh), MAC in Xen's "
                    "OUI; no gfx_passthru (Intel IGD only) and no obsolete keys";
  if (spec.pci.empty()) warnings.push_back("no devices to pass: the config has no pci= line");
  if (auto added = add_step(std::make_shared<WriteFileAction>(path, render_domu_config(spec)), "domu.config",
                            "domu-config", why, kDomu, warnings);
      !added) {
    return added;
  }
  DomuSpec install = spec;
  install.pci.clear();
  install.comments = {"First-install variant: no pci=, as the guide advises. Install the OS with it, then start " + path + ".",
                      "Check it without starting it: xl create -n " + install_path};
  if (choices_.cdrom.empty()) install.comments.push_back("Give --cdrom IMAGE to boot an installer from it.");
  if (auto added = add_step(std::make_shared<WriteFileAction>(install_path, render_domu_config(install)),
                            "domu.install-config", "domu-config",
                            "install the guest OS first without passed-through devices, then switch to " + path,
                            kDomuInstall);
      !added) {
    return added;
  }
  static const std::regex kLvm("^phy:/dev/(?:mapper/)?([A-Za-z0-9_.+-]+)/([A-Za-z0-9_.+-]+)(?:,.*)?$");
  for (const std::string& disk : choices_.disks) {
    std::smatch m;
    if (std::regex_match(disk, m, kLvm)) {
      std::string lv = "/dev/" + m[1].str() + "/" + m[2].str();
      std::string snap = m[2].str() + "-ptdoctor-snap";
      plan_.notes.push_back("LVM snapshots of " + lv + " (only with the domU shut down: xl shutdown -w " + spec.name +
                            "):\n  before trying a driver:  lvcreate -s -L 10G -n " + snap + " " + lv +
                            "\n  to go back:              lvconvert --merge /dev/" + m[1].str() + "/" + snap +
                            "\n  to keep the change:      lvremove /dev/" + m[1].str() + "/" + snap);
    }
  }
  if (choices_.disks.empty()) plan_.warnings.push_back("no --disk given: the domU config has no disk yet");
  return Ok{};
}

// Why bdf must not be unbound from dom0 live, or "" when it may: libxl unbinds the current driver and quarantines
// the device (libxl_pci.c libxl__device_pci_assignable_add -> sysfs_dev_unbind), and unbinding a graphics driver
// that drives a card often hangs dom0; a controller carrying dom0's keyboard takes the keyboard with it. The reboot
// with the hide list hands those over safely.
std::string Builder::live_unbind_hazard(const std::string& bdf) const {
  static const std::set<std::string> kGraphics = {"radeon", "amdgpu", "nouveau", "nvidia", "i915", "xe"};
  // The whole slot: the HDMI audio function is not unbound either while the card's display function is driven.
  const std::string slot = bdf.substr(0, bdf.rfind('.') + 1);
  if (const Json* devices = fact("pci.devices"); devices && devices->is_array()) {
    for (const Json& device : *devices) {
      // Any element may be unknown or malformed (null, a number): string_field reads it as "" and skips it.
      const std::string other = string_field(device, "bdf");
      if (other.empty() || other.rfind(slot, 0) != 0) continue;
      const Json driver = device.is_object() ? device.value("driver", Json()) : Json();
      if (driver.is_string() && kGraphics.count(driver.get<std::string>())) {
        return "the graphics driver " + driver.get<std::string>() + " drives " + (other == bdf ? "it" : other);
      }
    }
  }
  if (const Json* controllers = fact("usb.controllers"); controllers && controllers->is_array()) {
    for (const Json& controller : *controllers) {
      if (string_field(controller, "bdf") == bdf && bool_field(controller, "has_keyboard")) {
        return "dom0's keyboard hangs off it";
      }
    }
  }
  return "";
}

Status Builder::gen_assignable() {
  if (!fact_bool("xen.running").value_or(false)) return Ok{};
  auto assignable = fact_list("xen.assignable");
  std::vector<std::string> now;
  for (const std::string& bdf : plan_.hide_list) {
    if (std::find(assignable.begin(), assignable.end(), bdf) != assignable.end()) continue;
    if (std::string hazard = live_unbind_hazard(bdf); !hazard.empty()) {
      plan_.notes.push_back(bdf + " is not made assignable now: " + hazard + ", and taking it away live could hang "
                            "dom0 or leave it without a keyboard. The reboot with the hide list hands it to pciback");
      continue;
    }
    now.push_back(bdf);
  }
  if (now.empty()) return Ok{};
  // libxl refuses every pci-assignable-add while the pciback driver is not registered ("Looks like pciback driver
  // is not loaded": xen-project/xen:tools/libs/light/libxl_pci.c pciback_dev_is_assigned, which checks
  // /sys/bus/pci/drivers/pciback). A modular pciback listed in /etc/modules loads only at the next boot, so it is
  // loaded now; it reads the hide= option just written and seizes only listed devices no driver holds
  // (linux:drivers/xen/xen-pciback/pci_stub.c pcistub_probe). Seen in the Xen lab: Debian 12's dom0 builds it as
  // a module. modprobe of a loaded or built-in module does nothing, so an unknown state gets the step too.
  if (!fact_bool("kernel.pciback.loaded").value_or(false)) {
    if (auto loaded = add_step(std::make_shared<RunCommandAction>(load_pciback_argv(), unload_pciback_argv()),
                               "pciback.load", "pci-assignable",
                               "xl pci-assignable-add needs the xen-pciback driver loaded, and it is not yet",
                               kLoadPciback);
        !loaded) {
      return loaded;
    }
  }
  for (const std::string& bdf : now) {
    // libxl's inverse: `xl pci-assignable-remove -r` rebinds the driver libxl stored when it unbound it (xl(1)).
    if (auto added = add_step(std::make_shared<RunCommandAction>(
                                  std::vector<std::string>{"xl", "pci-assignable-add", bdf},
                                  std::vector<std::string>{"xl", "pci-assignable-remove", "-r", bdf}),
                              "assignable." + bdf, "pci-assignable",
                              "makes " + bdf + " assignable now, without a reboot (until the next boot, when the "
                                               "hide list takes over); its dom0 driver lets go of it",
                              kAssignable);
        !added) {
      return added;
    }
  }
  return Ok{};
}

}  // namespace ptdoctor::fix::detail
