// Generators for the domU: /etc/xen/NAME.cfg, its first-install variant, the LVM notes, and xl pci-assignable-add.
#include <algorithm>
#include <memory>
#include <regex>

#include "fix/domu_config.hpp"
#include "fix/kconfig_options.hpp"
#include "fix/planner.hpp"
#include "fix/planner_builder.hpp"
#include "ptdoctor/json_fields.hpp"

namespace ptdoctor::fix::detail {
bool Builder::shares_rmrr(const std::string& bdf, std::string* peers) const {
  bool shared = false;
  if (const Json* rmrrs = fact("acpi.dmar.rmrr"); rmrrs && rmrrs->is_array()) {
    for (const Json& rmrr : *rmrrs) {
      if (!rmrr.contains("devices") || !rmrr["devices"].is_array()) continue;
      std::vector<std::string> devices;
      for (const Json& d : rmrr["devices"]) {
        if (d.is_string()) devices.push_back(d.get<std::string>());
      }
      if (devices.size() < 2 || std::find(devices.begin(), devices.end(), bdf) == devices.end()) continue;
      shared = true;
      for (const std::string& d : devices) {
        if (d != bdf && peers->find(d) == std::string::npos) *peers += (peers->empty() ? "" : ", ") + d;
      }
    }
  }
  if (const Json* controllers = fact("usb.controllers"); controllers && controllers->is_array()) {
    for (const Json& controller : *controllers) {
      if (string_field(controller, "bdf") == bdf && bool_field(controller, "rmrr_shared")) shared = true;
    }
  }
  return shared;
}

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
  for (const std::string& bdf : plan_.hide_list) {
    std::string peers;
    bool relaxed = shares_rmrr(bdf, &peers);
    spec.pci.push_back({bdf, relaxed});
    if (relaxed) {
      warnings.push_back(bdf + " shares a firmware-reserved memory region (RMRR)" +
                         (peers.empty() ? std::string() : " with " + peers) +
                         ": Xen refuses to assign it unless its pci= entry says rdm_policy=relaxed, which this config "
                         "does. The firmware may still use that region (USB legacy emulation); Xen calls this risky");
    }
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

Status Builder::gen_assignable() {
  if (!fact_bool("xen.running").value_or(false)) return Ok{};
  auto assignable = fact_list("xen.assignable");
  for (const std::string& bdf : plan_.hide_list) {
    if (std::find(assignable.begin(), assignable.end(), bdf) != assignable.end()) continue;
    if (auto added = add_step(std::make_shared<RunCommandAction>(std::vector<std::string>{"xl", "pci-assignable-add", bdf}),
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
