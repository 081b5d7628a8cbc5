// Generators that hide the chosen devices from dom0: the kernel line for a built-in pciback, modprobe.d for a module.
#include <algorithm>
#include <memory>
#include <regex>

#include "fix/planner.hpp"
#include "fix/planner_builder.hpp"
#include "pciback_hide_list.hpp"
#include "pciback_softdeps.hpp"
#include "ptdoctor/json_fields.hpp"

namespace ptdoctor::fix::detail {
namespace {

bool is_pciback_hide_word(std::string_view word) {
  return starts_with(word, "xen-pciback.hide=") || starts_with(word, "xen_pciback.hide=");
}

std::string hide_word(const std::vector<std::string>& bdfs) { return "xen-pciback.hide=" + pciback_hide_list(bdfs); }

// A wildcard entry xen-pciback accepts: a whole slot "[dddd:]bb:ss.*" or a whole bus "[dddd:]bb:*.*"
// (linux:drivers/xen/xen-pciback/pci_stub.c str_to_slot / pcistub_init take '*' for the function, or for slot and
// function).
bool is_hide_wildcard(const std::string& entry) {
  constexpr std::string_view kBus = ":*.*", kSlot = ".*";
  auto ends_with = [&](std::string_view end) {
    return entry.size() > end.size() && std::string_view(entry).substr(entry.size() - end.size()) == end;
  };
  if (ends_with(kBus)) return normalize_bdf(entry.substr(0, entry.size() - kBus.size()) + ":00.0", "hide").ok();
  if (ends_with(kSlot)) return normalize_bdf(entry.substr(0, entry.size() - kSlot.size()) + ".0", "hide").ok();
  return false;
}

// Entries inside "(...)(...)" of an existing hide word: BDFs normalised, wildcards as written. An entry
// xen-pciback cannot parse is left out: pcistub_init stops at it with -EINVAL ("Error parsing pci_devs_to_hide"),
// so kept in the merged list it would make pciback hide nothing at all (the plan warns from
// kernel.pciback.hide_errors).
std::vector<std::string> bdfs_in_hide_word(std::string_view word) {
  std::vector<std::string> out;
  static const std::regex kGroup("\\(([^()]*)\\)");
  std::string text(word);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kGroup); it != std::sregex_iterator(); ++it) {
    const std::string entry = (*it)[1].str();
    if (auto bdf = normalize_bdf(entry, "hide")) {
      out.push_back(*bdf);
    } else if (is_hide_wildcard(entry)) {
      out.push_back(entry);
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> Builder::softdep_modules() const {
  // Module names (what softdep takes) of the drivers that would claim the hidden devices: chosen by the code the
  // rule texts use too (`{gpu.target_info|pciback-softdeps}`).
  PcibackSoftdepInputs inputs;
  const Json* devices = fact("pci.devices");
  for (const std::string& bdf : plan_.hide_list) {
    if (devices && devices->is_array()) {
      for (const Json& device : *devices) {
        if (string_field(device, "bdf") == bdf && device.contains("driver") && device["driver"].is_string()) {
          inputs.bound_drivers.push_back(device["driver"].get<std::string>());
        }
      }
    }
  }
  inputs.gpu_vendor_id = gpu_vendor_;
  inputs.gpu_functions = gpu_functions_.size();
  if (const Json* controllers = fact("usb.controllers"); controllers && controllers->is_array()) {
    for (const Json& controller : *controllers) {
      std::string bdf = string_field(controller, "bdf");
      if (std::find(usb_functions_.begin(), usb_functions_.end(), bdf) == usb_functions_.end()) continue;
      inputs.usb_types.push_back(string_field(controller, "type"));
    }
  }
  return pciback_softdep_modules(inputs);
}

Status Builder::gen_pciback_hide() {
  if (plan_.hide_list.empty()) return Ok{};
  std::string pciback = kernel_config("CONFIG_XEN_PCIDEV_BACKEND");
  std::optional<bool> builtin = fact_bool("kernel.pciback.builtin");
  std::optional<bool> module = fact_bool("kernel.pciback.module");
  bool as_module = (module.value_or(false) || pciback == "m") && !builtin.value_or(false) && pciback != "y";
  std::vector<std::string> elsewhere;
  for (const std::string& bdf : fact_list("kernel.pciback.hide")) {
    if (std::find(plan_.hide_list.begin(), plan_.hide_list.end(), bdf) == plan_.hide_list.end()) elsewhere.push_back(bdf);
  }
  if (!elsewhere.empty()) {
    std::string list;
    for (const auto& bdf : elsewhere) list += (list.empty() ? "" : ", ") + bdf;
    plan_.warnings.push_back("already hidden by the current configuration and kept: " + list);
  }
  for (const std::string& error : fact_list("kernel.pciback.hide_errors")) {
    plan_.warnings.push_back("a hide list xen-pciback cannot read makes it hide nothing (" + error +
                             "): the hide list this plan writes leaves such entries out");
  }
  // A hide list on the dom0 kernel line wins over modprobe.d's: libkmod passes the command line's options after
  // modprobe.d's and the kernel keeps the last (kmod libkmod-config.c kmod_config_new; kernel/params.c). So when the
  // next Xen boot's dom0 line already hides something, the full list must go on that line, even for a module.
  // The same holds between modprobe.d files: modprobe passes every options line in file-name order and
  // xen-pciback's hide is a module_param_string (drivers/xen/xen-pciback/pci_stub.c), so the last hide= wins. Our
  // ptdoctor-xen-pciback.conf sorts before a user's xen-pciback.conf and would lose to it: when another modprobe.d
  // file sets hide=, the merged list goes on the dom0 line instead, where it wins over all of them.
  std::string other_modprobe_hide;
  for (const std::string& source : fact_list("kernel.pciback.hide_sources")) {
    const std::string file = source.substr(0, source.rfind(':'));
    if (file.find("/modprobe.d/") != std::string::npos && file != kPcibackModprobe) other_modprobe_hide = file;
  }
  const bool line_hides = !fact_list("kernel.grub.xen_dom0_pciback_hide").empty() || !other_modprobe_hide.empty();
  if (!as_module || line_hides) {
    std::vector<std::string> wanted = plan_.hide_list;
    if (!other_modprobe_hide.empty()) {
      // The user's own hide list must survive the move to the kernel line that overrides it.
      wanted.insert(wanted.end(), elsewhere.begin(), elsewhere.end());
      plan_.warnings.push_back(other_modprobe_hide + " sets xen-pciback's hide= too and, read after ptdoctor's file, "
                               "would replace its list: the whole list goes on the dom0 kernel line, which replaces "
                               "every modprobe.d hide=");
    }
    if (!builtin && pciback.empty()) {
      plan_.warnings.push_back("whether xen-pciback is built in is unknown (" + unknown_why("kernel.pciback.builtin") +
                               "): the hide list goes on the dom0 kernel line, which works for a built-in pciback");
    }
    VariableEdit edit;
    edit.key = kDom0Xen;
    edit.editor = [wanted](ShellWords& words) {
      // Keep devices the user hid already: merge into one hide word.
      std::vector<std::string> merged;
      for (const std::string& word : words.words()) {
        if (!is_pciback_hide_word(word)) continue;
        for (const std::string& bdf : bdfs_in_hide_word(word)) {
          if (std::find(merged.begin(), merged.end(), bdf) == merged.end()) merged.push_back(bdf);
        }
      }
      bool had = !merged.empty();
      for (const std::string& bdf : wanted) {
        if (std::find(merged.begin(), merged.end(), bdf) == merged.end()) merged.push_back(bdf);
      }
      std::string word = hide_word(merged);
      if (words.contains(word)) return;
      // An empty REPLACE_DEFAULT is ignored by 20_linux_xen; once set it replaces GRUB_CMDLINE_LINUX_DEFAULT, so
      // start from that to keep the user's words.
      if (words.words().empty()) words.add("$GRUB_CMDLINE_LINUX_DEFAULT");
      if (had) {
        bool first = true;
        words.remove_if([&](std::string_view w) {
          if (!is_pciback_hide_word(w)) return false;
          if (first) { first = false; return false; }
          return true;
        });
        words.replace_first(is_pciback_hide_word, word);
      } else {
        words.add(word);
      }
    };
    // REPLACE_DEFAULT replaces GRUB_CMDLINE_LINUX_DEFAULT on the Xen entries only (/etc/grub.d/20_linux_xen):
    // starting from it keeps the user's words ("quiet") on the dom0 line while non-Xen entries stay untouched.
    edit.initial = "$GRUB_CMDLINE_LINUX_DEFAULT";
    edit.comment = "# Added by ptdoctor: the dom0 kernel line of the Xen boot entries (GRUB_CMDLINE_LINUX_DEFAULT "
                   "stays for the others)";
    grub_edit(std::move(edit), "hide " + std::to_string(plan_.hide_list.size()) +
                                   " devices from dom0 with xen-pciback.hide on the dom0 kernel line of the normal Xen "
                                   "entries only (the Xen recovery entries get only GRUB_CMDLINE_LINUX and "
                                   "GRUB_CMDLINE_XEN: a recovery boot leaves the devices with dom0's drivers)" +
                                   (builtin.value_or(false) || pciback == "y"
                                        ? std::string(" (pciback is built in, so it reads the kernel command line)")
                                        : std::string(" (a built-in pciback reads it there; a module gets it from "
                                                      "the command line too when it loads)")) +
                                   (as_module ? std::string("; it goes there and not into modprobe.d because the "
                                                            "kernel line's hide list replaces modprobe.d's")
                                              : std::string()));
    if (!as_module) return Ok{};
  }
  // pciback is a module (Debian: XEN_PCIDEV_BACKEND=m): give it the list as a module option and make it load before
  // the drivers that would otherwise claim the devices (REFERENCE.md §2).
  std::string text = "# Written by ptdoctor: devices hidden from dom0 for passthrough.\n"
                     "# xen-pciback must claim them before their dom0 drivers do: the softdep lines load it first.\n";
  if (!line_hides) text += "options xen-pciback hide=" + pciback_hide_list(plan_.hide_list) + "\n";
  auto modules = softdep_modules();
  for (const std::string& module : modules) text += pciback_softdep_line(module) + "\n";
  std::vector<std::string> warnings;
  for (const std::string& module : modules) {
    std::string upper = "CONFIG_" + module;
    if (module == "radeon") upper = "CONFIG_DRM_RADEON";
    if (module == "amdgpu") upper = "CONFIG_DRM_AMDGPU";
    if (module == "nouveau") upper = "CONFIG_DRM_NOUVEAU";
    if (module == "snd_hda_intel") upper = "CONFIG_SND_HDA_INTEL";
    if (module == "ehci_pci") upper = "CONFIG_USB_EHCI_PCI";
    if (module == "uhci_hcd") upper = "CONFIG_USB_UHCI_HCD";
    if (module == "ohci_pci") upper = "CONFIG_USB_OHCI_HCD_PCI";
    if (module == "xhci_pci") upper = "CONFIG_USB_XHCI_PCI";
    if (kernel_config(upper) == "y") {
      warnings.push_back(module + " is built into the kernel (" + upper + "=y): a softdep cannot order it, so it "
                         "claims its device before pciback loads; use `xl pci-assignable-add` after boot for that device");
    }
  }
  if (auto added = add_step(std::make_shared<WriteFileAction>(kPcibackModprobe, text), "pciback.modprobe",
                            "pciback-hide",
                            line_hides ? "xen-pciback is a module here (CONFIG_XEN_PCIDEV_BACKEND=m): its softdeps "
                                         "make it load before the devices' drivers (the hide list is on the dom0 "
                                         "kernel line, see above)"
                                       : "xen-pciback is a module here (CONFIG_XEN_PCIDEV_BACKEND=m): its hide= option "
                                         "and softdeps make it take the devices before their drivers load",
                            kModprobe, warnings);
      !added) {
    return added;
  }
  auto listed = fact_list("kernel.modules_file");
  bool in_modules = std::find(listed.begin(), listed.end(), "xen-pciback") != listed.end() ||
                    std::find(listed.begin(), listed.end(), "xen_pciback") != listed.end();
  if (!in_modules) {
    if (auto added = gen_module_load("xen-pciback", "pciback never loads on its own (it has no device table): listed "
                                                    "in /etc/modules it loads at every boot");
        !added) {
      return added;
    }
  }
  if (host_.exists("/etc/initramfs-tools")) {
    if (auto added = add_step(std::make_shared<LineListAction>(kInitramfsModules, "xen-pciback",
                                                               "# Added by ptdoctor: pciback must be in the initramfs "
                                                               "when the GPU or USB drivers load from it"),
                              "pciback.initramfs", "pciback-hide",
                              "the initramfs carries its own copy of /etc/modprobe.d; when a hidden device's driver "
                              "loads from it, pciback and its hide= option must be there too",
                              kInitramfs);
        !added) {
      return added;
    }
  }
  return Ok{};
}

Status Builder::gen_module_load(const std::string& module, const std::string& why) {
  static const std::regex kModule("^[a-z0-9_-]{1,64}$");
  if (!std::regex_match(module, kModule)) {
    return make_error(ErrorKind::kInvalidInput, "module-load: \"" + module + "\" is not a module name");
  }
  return add_step(std::make_shared<LineListAction>(kModulesFile, module, "# Added by ptdoctor"),
                  "modules." + module, "module-load", why, kModules);
}

}  // namespace ptdoctor::fix::detail
