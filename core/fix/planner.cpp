#include "fix/planner.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <regex>
#include <set>

#include "fix/actions.hpp"
#include "fix/domu_config.hpp"
#include "fix/kconfig_options.hpp"

namespace ptdoctor::fix {
namespace {

// Step order: kernel first (it needs a rebuild), then boot configuration, the commands that regenerate from it, the
// domU, runtime commands, and what only a person can do.
enum Order { kKernel = 10, kGrub = 20, kModprobe = 30, kModules = 31, kInitramfs = 32, kUpdateGrub = 40,
             kUpdateInitramfs = 41, kDomu = 50, kDomuInstall = 51, kAssignable = 60, kManual = 70, kReboot = 80 };

constexpr const char* kXenDefault = "GRUB_CMDLINE_XEN_DEFAULT";
constexpr const char* kXenAlways = "GRUB_CMDLINE_XEN";
constexpr const char* kDom0Xen = "GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT";

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

bool is_pciback_hide_word(std::string_view word) {
  return starts_with(word, "xen-pciback.hide=") || starts_with(word, "xen_pciback.hide=");
}

// iommu=0|off|no|false|disable, alone or inside the list, turns Xen's IOMMU off (xen-command-line.pandoc).
bool is_iommu_off_word(std::string_view word) {
  if (!starts_with(word, "iommu=")) return false;
  std::string_view list = word.substr(6);
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    std::string_view item = list.substr(start, end - start);
    if (item == "0" || item == "off" || item == "no" || item == "false" || item == "disable") return true;
    start = end + 1;
  }
  return false;
}

std::string hide_word(const std::vector<std::string>& bdfs) {
  std::string word = "xen-pciback.hide=";
  for (const std::string& bdf : bdfs) word += "(" + bdf + ")";
  return word;
}

// BDFs inside "(...)(...)" of an existing hide word, normalised where they parse.
std::vector<std::string> bdfs_in_hide_word(std::string_view word) {
  std::vector<std::string> out;
  static const std::regex kGroup("\\(([^()]*)\\)");
  std::string text(word);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kGroup); it != std::sregex_iterator(); ++it) {
    auto bdf = normalize_bdf((*it)[1].str(), "hide");
    out.push_back(bdf ? *bdf : (*it)[1].str());
  }
  return out;
}

long round_down(long value, long step) { return value / step * step; }

class Builder {
 public:
  Builder(const FactReader& facts, const HostView& host, const Choices& choices)
      : facts_(facts), host_(host), choices_(choices),
        random_(choices.seed ? *choices.seed : std::random_device{}()) {}

  Result<Plan> build(const std::vector<RuleResult>& results);

 private:
  const Json* fact(std::string_view path) const {
    const Json* value = facts_.find(path);
    return value && !value->is_null() ? value : nullptr;
  }
  std::string fact_string(std::string_view path) const {
    const Json* value = fact(path);
    return value && value->is_string() ? value->get<std::string>() : "";
  }
  std::optional<bool> fact_bool(std::string_view path) const {
    const Json* value = fact(path);
    if (value && value->is_boolean()) return value->get<bool>();
    return std::nullopt;
  }
  std::optional<long> fact_number(std::string_view path) const {
    const Json* value = fact(path);
    if (value && value->is_number()) return value->get<long>();
    return std::nullopt;
  }
  std::string unknown_why(std::string_view path) const {
    auto reason = facts_.unknown_reason(path);
    return std::string(path) + " is unknown" + (reason ? " (" + *reason + ")" : "");
  }
  std::vector<std::string> fact_list(std::string_view path) const {
    std::vector<std::string> out;
    if (const Json* list = fact(path); list && list->is_array()) {
      for (const Json& item : *list) {
        if (item.is_string()) out.push_back(item.get<std::string>());
      }
    }
    return out;
  }
  std::string kernel_config(const std::string& name) const {
    const Json* config = fact("kernel.config");
    if (config && config->is_object() && config->contains(name) && (*config)[name].is_string()) {
      return (*config)[name].get<std::string>();
    }
    return "";
  }

  Status add_step(std::shared_ptr<const Action> action, std::string id, std::string generator, std::string why,
                  int order, std::vector<std::string> warnings = {});
  void grub_edit(VariableEdit edit, const std::string& reason) {
    grub_edits_.push_back(std::move(edit));
    grub_reasons_.push_back(reason);
  }
  std::string grub_text() const {
    auto text = read_current(host_, kGrubDefaults);
    return text && *text ? **text : "";
  }

  Status choose_devices();
  Status gen_kconfig();
  Status gen_pciback_hide();
  Status gen_xen_iommu();
  Status gen_dom0_mem();
  Status gen_domu();
  Status gen_assignable();
  Status gen_cmdline(const std::string& key, const Json& params, const std::string& why);
  Status gen_module_load(const std::string& module, const std::string& why);
  Status run_generator(const std::string& name, const Json& params, const std::string& why);
  Status finish_grub();
  void size_memory();
  std::vector<std::string> softdep_modules() const;
  bool shares_rmrr(const std::string& bdf, std::string* peers) const;

  const FactReader& facts_;
  const HostView& host_;
  const Choices& choices_;
  std::mt19937_64 random_;
  Plan plan_;
  std::vector<std::pair<int, PlanStep>> ordered_;
  std::set<std::string> generators_done_;
  std::vector<VariableEdit> grub_edits_;
  std::vector<std::string> grub_reasons_;
  std::vector<std::string> gpu_functions_;
  std::string gpu_vendor_;
  std::vector<std::string> usb_functions_;
  long dom0_mb_ = 0, domu_mb_ = 0, domu_vcpus_ = 0;
};

Status Builder::add_step(std::shared_ptr<const Action> action, std::string id, std::string generator, std::string why,
                         int order, std::vector<std::string> warnings) {
  auto step = action->plan(host_);
  if (!step) return step.error();
  step->id = std::move(id);
  step->generator = std::move(generator);
  step->why = std::move(why);
  step->warnings = std::move(warnings);
  step->action = std::move(action);
  ordered_.emplace_back(order, std::move(*step));
  return Ok{};
}

Status Builder::choose_devices() {
  std::string gpu = choices_.gpu;
  if (!gpu.empty()) {
    auto bdf = normalize_bdf(gpu, "--gpu");
    if (!bdf) return bdf.error();
    gpu = *bdf;
  } else {
    gpu = fact_string("gpu.target");
  }
  if (!gpu.empty()) {
    gpu_functions_ = {gpu};
    bool found = false;
    if (const Json* candidates = fact("gpu.candidates"); candidates && candidates->is_array()) {
      for (const Json& candidate : *candidates) {
        std::vector<std::string> functions;
        if (candidate.contains("functions") && candidate["functions"].is_array()) {
          for (const Json& f : candidate["functions"]) {
            if (f.is_string()) functions.push_back(f.get<std::string>());
          }
        }
        std::string bdf = candidate.value("bdf", "");
        if (bdf == gpu || std::find(functions.begin(), functions.end(), gpu) != functions.end()) {
          if (!functions.empty()) gpu_functions_ = functions;
          gpu_vendor_ = candidate.value("vendor_id", "");
          found = true;
          if (candidate.value("boot_vga", false)) {
            plan_.warnings.push_back(bdf + " is the boot GPU: hidden from dom0, the console and X of dom0 lose it. "
                                     "The guide passes a secondary card; pick that one if there is one");
          }
        }
      }
    }
    if (!found) {
      plan_.warnings.push_back("GPU " + gpu + " is not among gpu.candidates: only that one function is passed; "
                               "its other functions (HDMI audio) must go with it, add them if lspci shows them");
    }
  } else {
    plan_.warnings.push_back("no GPU chosen and gpu.target is unknown: pass --gpu BDF (lspci -D shows the address)");
  }
  std::vector<std::string> usb_wanted;
  for (const std::string& given : choices_.usb) {
    auto bdf = normalize_bdf(given, "--usb");
    if (!bdf) return bdf.error();
    usb_wanted.push_back(*bdf);
  }
  const Json* controllers = fact("usb.controllers");
  if (usb_wanted.empty()) {
    usb_functions_ = fact_list("usb.selected");
  }
  for (const std::string& want : usb_wanted) {
    std::vector<std::string> group = {want};
    if (controllers && controllers->is_array()) {
      for (const Json& controller : *controllers) {
        std::vector<std::string> companions;
        if (controller.contains("companions") && controller["companions"].is_array()) {
          for (const Json& c : controller["companions"]) {
            if (c.is_string()) companions.push_back(c.get<std::string>());
          }
        }
        if (controller.value("bdf", "") == want ||
            std::find(companions.begin(), companions.end(), want) != companions.end()) {
          if (!companions.empty()) group = companions;
          if (controller.value("has_keyboard", false)) {
            plan_.warnings.push_back(controller.value("bdf", want) + " has a keyboard attached: once it is hidden, "
                                     "dom0 has no keyboard on it. Move the keyboard to another controller's port");
          }
        }
      }
    }
    // An EHCI controller and its UHCI/OHCI companions serve the same ports: they must go to the guest together.
    for (const std::string& bdf : group) {
      if (std::find(usb_functions_.begin(), usb_functions_.end(), bdf) == usb_functions_.end()) {
        usb_functions_.push_back(bdf);
      }
    }
  }
  for (const auto* list : {&gpu_functions_, &usb_functions_}) {
    for (const std::string& bdf : *list) {
      if (std::find(plan_.hide_list.begin(), plan_.hide_list.end(), bdf) == plan_.hide_list.end()) {
        plan_.hide_list.push_back(bdf);
      }
    }
  }
  return Ok{};
}

Status Builder::gen_kconfig() {
  const Json* config = fact("kernel.config");
  if (!config) {
    plan_.notes.push_back("kernel options not checked: " + unknown_why("kernel.config") +
                          "; give --kernel-config FILE to plan a config fragment");
    return Ok{};
  }
  std::string version = fact_string("kernel.version");
  auto missing = missing_kconfig_options(version, *config);
  if (missing.empty()) return Ok{};
  std::string names;
  for (const auto& [name, value] : missing) names += (names.empty() ? "" : ", ") + name;
  std::string header = "# Written by ptdoctor: Xen dom0 options for passthrough missing from " +
                       (fact_string("kernel.release").empty() ? std::string("this kernel") : "kernel " + fact_string("kernel.release")) +
                       ".\n# Merge: scripts/kconfig/merge_config.sh .config " + std::string(kKconfigFragment) +
                       " && make olddefconfig\n";
  plan_.notes.push_back("Kernel: merge " + std::string(kKconfigFragment) +
                        " into the kernel's .config with scripts/kconfig/merge_config.sh, rebuild, install, and boot "
                        "the new kernel under Xen");
  return add_step(std::make_shared<KconfigFragmentAction>(kKconfigFragment, missing, header), "kernel.fragment",
                  "kconfig-fragment",
                  "the dom0 kernel lacks " + names + " (kernel.config" +
                      (version.empty() ? "" : ", Linux " + version) + "); only options this kernel version knows",
                  kKernel);
}

std::vector<std::string> Builder::softdep_modules() const {
  // Module names (what softdep takes) of the drivers that would claim the hidden devices.
  std::set<std::string> modules;
  auto add_driver = [&](std::string driver) {
    std::replace(driver.begin(), driver.end(), '-', '_');
    if (driver.empty() || driver == "pciback" || driver == "pci_stub" || driver == "vfio_pci") return;
    if (driver == "xhci_hcd") driver = "xhci_pci";  // the PCI glue of xhci is its own module
    modules.insert(driver);
  };
  const Json* devices = fact("pci.devices");
  for (const std::string& bdf : plan_.hide_list) {
    if (devices && devices->is_array()) {
      for (const Json& device : *devices) {
        if (device.value("bdf", "") == bdf && device.contains("driver") && device["driver"].is_string()) {
          add_driver(device["driver"].get<std::string>());
        }
      }
    }
  }
  // The drivers that would take them when nothing is bound now (already hidden, or first boot).
  if (gpu_vendor_ == "0x1002") {
    add_driver("radeon");
    add_driver("amdgpu");
  } else if (gpu_vendor_ == "0x10de") {
    add_driver("nouveau");
  }
  if (gpu_functions_.size() > 1) add_driver("snd_hda_intel");
  if (const Json* controllers = fact("usb.controllers"); controllers && controllers->is_array()) {
    for (const Json& controller : *controllers) {
      std::string bdf = controller.value("bdf", "");
      if (std::find(usb_functions_.begin(), usb_functions_.end(), bdf) == usb_functions_.end()) continue;
      std::string type = controller.value("type", "");
      if (type == "uhci") add_driver("uhci_hcd");
      if (type == "ehci") add_driver("ehci_pci");
      if (type == "ohci") add_driver("ohci_pci");
      if (type == "xhci") add_driver("xhci_pci");
    }
  }
  return {modules.begin(), modules.end()};
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
  if (!as_module) {
    std::vector<std::string> wanted = plan_.hide_list;
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
                                   " devices from dom0 with xen-pciback.hide on the dom0 kernel line of the Xen "
                                   "entries only" +
                                   (builtin.value_or(false) || pciback == "y"
                                        ? std::string(" (pciback is built in, so it reads the kernel command line)")
                                        : std::string(" (a built-in pciback reads it there; a module gets it from "
                                                      "the command line too when it loads)")));
    return Ok{};
  }
  // pciback is a module (Debian: XEN_PCIDEV_BACKEND=m): give it the list as a module option and make it load before
  // the drivers that would otherwise claim the devices (REFERENCE.md §2).
  std::string text = "# Written by ptdoctor: devices hidden from dom0 for passthrough.\n"
                     "# xen-pciback must claim them before their dom0 drivers do: the softdep lines load it first.\n";
  text += "options xen-pciback hide=" + hide_word(plan_.hide_list).substr(std::string("xen-pciback.hide=").size()) + "\n";
  auto modules = softdep_modules();
  for (const std::string& module : modules) text += "softdep " + module + " pre: xen-pciback\n";
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
                            "xen-pciback is a module here (CONFIG_XEN_PCIDEV_BACKEND=m): its hide= option and softdeps "
                            "make it take the devices before their drivers load",
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

Status Builder::gen_xen_iommu() {
  std::string text = grub_text();
  bool off_in_file = false;
  bool on_in_file = false;
  for (const char* key : {kXenAlways, kXenDefault}) {
    for (const std::string& word : shell_variable_words(text, key)) {
      if (is_iommu_off_word(word)) off_in_file = true;
      else if (starts_with(word, "iommu=")) on_in_file = true;
    }
  }
  std::optional<bool> enabled = fact_bool("xen.iommu_enabled");
  if (off_in_file) {
    VariableEdit edit;
    edit.key = kXenAlways;
    edit.editor = [](ShellWords& words) { words.remove_if(is_iommu_off_word); };
    if (!shell_variable_words(text, kXenAlways).empty()) grub_edit(std::move(edit), "remove iommu=0/off from GRUB_CMDLINE_XEN");
  }
  if (enabled.value_or(false) && !off_in_file) return Ok{};
  if (!off_in_file) {
    const Json* params = fact("xen.commandline_params");
    bool off_running = false;
    std::string values;
    if (params && params->is_object() && params->contains("iommu") && (*params)["iommu"].is_array()) {
      for (const Json& value : (*params)["iommu"]) {
        if (!value.is_string()) continue;
        values += (values.empty() ? "" : " ") + value.get<std::string>();
        off_running = off_running || is_iommu_off_word("iommu=" + value.get<std::string>());
      }
    }
    if (off_running) {
      return add_step(std::make_shared<ManualStepAction>(
                          "Xen runs with iommu=" + values + " but /etc/default/grub does not set it: remove it "
                          "from where it comes from (/etc/default/grub.d/*.cfg or the boot loader entry)"),
                      "xen.iommu-elsewhere", "xen-iommu", "passthrough needs Xen's IOMMU (REFERENCE.md §4)", kManual);
    }
  }
  VariableEdit edit;
  edit.key = kXenDefault;
  edit.editor = [on_in_file](ShellWords& words) {
    words.remove_if(is_iommu_off_word);
    if (!on_in_file && !words.contains("iommu=1")) words.add("iommu=1");
  };
  edit.comment = "# Added by ptdoctor: options of the Xen hypervisor line";
  grub_edit(std::move(edit), enabled ? std::string("Xen's IOMMU is off (xen.iommu_enabled): turn it on with iommu=1")
                                     : "make Xen's IOMMU explicit with iommu=1 (" + unknown_why("xen.iommu_enabled") + ")");
  return Ok{};
}

void Builder::size_memory() {
  std::optional<long> total = fact_number("xen.total_memory_mb");
  std::optional<long> cpus = fact_number("xen.nr_cpus");
  if (!total) {
    plan_.warnings.push_back("memory sizes are defaults: " + unknown_why("xen.total_memory_mb") +
                             "; check dom0_mem and the domU's memory");
  }
  // dom0 gets an eighth of the host, 1-4 GiB: enough for the toolstack and qemu, the rest for the guest.
  dom0_mb_ = total ? std::clamp(round_down(*total / 8, 256), 1024L, 4096L) : 2048;
  long available = total ? *total - dom0_mb_ - 512 : 4096;  // 512 MiB for Xen and per-domain overhead
  domu_mb_ = choices_.memory_mb ? *choices_.memory_mb : std::max(1024L, round_down(available / 2, 256));
  if (choices_.memory_mb && total && *choices_.memory_mb > available) {
    plan_.warnings.push_back("--memory " + std::to_string(*choices_.memory_mb) + " MiB is more than the " +
                             std::to_string(available) + " MiB left after dom0 (" + std::to_string(dom0_mb_) +
                             " MiB) and Xen: the domU will not start");
  }
  if (domu_mb_ < 2048) plan_.warnings.push_back("the domU gets " + std::to_string(domu_mb_) + " MiB: Windows needs 2048 or more");
  long n = cpus.value_or(2);
  if (!cpus) plan_.warnings.push_back("vcpus is a default: " + unknown_why("xen.nr_cpus"));
  domu_vcpus_ = choices_.vcpus ? *choices_.vcpus : (n >= 4 ? n / 2 : std::max(1L, n - 1));
  if (choices_.vcpus && cpus && *choices_.vcpus > *cpus) {
    plan_.warnings.push_back("--vcpus " + std::to_string(*choices_.vcpus) + " is more than the host's " +
                             std::to_string(*cpus) + " CPUs");
  }
}

Status Builder::gen_dom0_mem() {
  std::string text = grub_text();
  for (const char* key : {kXenAlways, kXenDefault}) {
    for (const std::string& word : shell_variable_words(text, key)) {
      if (starts_with(word, "dom0_mem=")) return Ok{};
    }
  }
  const Json* params = fact("xen.commandline_params");
  if (params && params->is_object() && params->contains("dom0_mem")) return Ok{};
  std::string word = "dom0_mem=" + std::to_string(dom0_mb_) + "M,max:" + std::to_string(dom0_mb_) + "M";
  VariableEdit edit;
  edit.key = kXenDefault;
  edit.editor = [word](ShellWords& words) {
    if (!words.contains(word)) words.add(word);
  };
  edit.comment = "# Added by ptdoctor: options of the Xen hypervisor line";
  grub_edit(std::move(edit), "give dom0 a fixed " + std::to_string(dom0_mb_) +
                                 " MiB (" + word + ") so the memory for the domU is not ballooned away from it");
  return Ok{};
}

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
      if (controller.value("bdf", "") == bdf && controller.value("rmrr_shared", false)) shared = true;
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

Status Builder::gen_cmdline(const std::string& key, const Json& params, const std::string& why) {
  std::vector<std::string> add, remove;
  try {
    if (params.contains("add")) add = params["add"].get<std::vector<std::string>>();
    if (params.contains("remove")) remove = params["remove"].get<std::vector<std::string>>();
  } catch (const std::exception&) {
    return make_error(ErrorKind::kInvalidInput, "cmdline generator: add/remove must be lists of words");
  }
  for (const auto* list : {&add, &remove}) {
    for (const std::string& word : *list) {
      if (!is_safe_shell_word(word)) {
        return make_error(ErrorKind::kInvalidInput, "cmdline generator: \"" + word + "\" is not a plain boot option");
      }
    }
  }
  VariableEdit edit;
  edit.key = key;
  edit.editor = [add, remove](ShellWords& words) {
    // "remove" names options: "iommu" removes iommu=anything, "iommu=0" only that word.
    words.remove_if([&](std::string_view word) {
      for (const std::string& r : remove) {
        if (word == r || (r.find('=') == std::string::npos && starts_with(word, r + "="))) return true;
      }
      return false;
    });
    for (const std::string& word : add) {
      if (!words.contains(word)) words.add(word);
    }
  };
  if (key == kDom0Xen) edit.initial = "$GRUB_CMDLINE_LINUX_DEFAULT";
  edit.comment = "# Added by ptdoctor";
  grub_edit(std::move(edit), why);
  return Ok{};
}

Status Builder::run_generator(const std::string& name, const Json& params, const std::string& why) {
  bool once = name != "xen-cmdline" && name != "dom0-cmdline" && name != "module-load" && name != "manual";
  if (once && !generators_done_.insert(name).second) return Ok{};
  if (name == "kconfig-fragment") return gen_kconfig();
  if (name == "pciback-hide") return gen_pciback_hide();
  if (name == "xen-iommu") return gen_xen_iommu();
  if (name == "xen-dom0-mem") return gen_dom0_mem();
  if (name == "domu-config") return gen_domu();
  if (name == "pci-assignable") return gen_assignable();
  if (name == "xen-cmdline") return gen_cmdline(kXenDefault, params, why);
  if (name == "dom0-cmdline") return gen_cmdline(kDom0Xen, params, why);
  if (name == "module-load") return gen_module_load(params.value("module", ""), why);
  if (name == "manual") {
    std::string text = params.value("text", "");
    if (text.empty()) return make_error(ErrorKind::kInvalidInput, "manual generator without text");
    return add_step(std::make_shared<ManualStepAction>(text), "manual", "manual", why, kManual);
  }
  return make_error(ErrorKind::kInvalidInput, "unknown fix generator \"" + name + "\"; known: see docs/fixing.md");
}

Status Builder::finish_grub() {
  if (grub_edits_.empty()) return Ok{};
  // grub-mkconfig sources /etc/default/grub.d/*.cfg after /etc/default/grub: a snippet setting the same variable wins.
  std::vector<std::string> warnings;
  if (auto snippets = host_.list_dir("/etc/default/grub.d")) {
    for (const std::string& name : *snippets) {
      if (name.size() < 4 || name.substr(name.size() - 4) != ".cfg") continue;
      auto text = read_current(host_, "/etc/default/grub.d/" + name);
      if (!text || !*text) continue;
      for (const VariableEdit& edit : grub_edits_) {
        if ((*text)->find(edit.key + "=") != std::string::npos) {
          warnings.push_back("/etc/default/grub.d/" + name + " also sets " + edit.key +
                             " and is read after /etc/default/grub: make it keep the words this step adds");
        }
      }
    }
  }
  std::string why;
  for (const std::string& reason : grub_reasons_) why += (why.empty() ? "" : "; ") + reason;
  if (auto added = add_step(std::make_shared<ShellVariableAction>(kGrubDefaults, std::move(grub_edits_)), "grub.defaults",
                            "grub", why, kGrub, warnings);
      !added) {
    return added;
  }
  return Ok{};
}

Result<Plan> Builder::build(const std::vector<RuleResult>& results) {
  plan_.root = host_.root();
  if (auto ok = validate_choices(choices_); !ok) return ok.error();
  if (auto ok = choose_devices(); !ok) return ok.error();
  size_memory();
  for (const char* name : {"kconfig-fragment", "pciback-hide", "xen-iommu", "xen-dom0-mem", "domu-config",
                           "pci-assignable"}) {
    if (auto ok = run_generator(name, Json::object(), ""); !ok) return ok.error();
  }
  std::set<std::string> manual_texts;
  for (const RuleResult& result : results) {
    if (result.status != RuleStatus::kFail) continue;
    std::string why = result.rule_id + ": " + result.message;
    for (const Fix& fix : result.fixes) {
      if (fix.action.is_object() && fix.action.contains("generator") && fix.action["generator"].is_string()) {
        auto ran = run_generator(fix.action["generator"].get<std::string>(), fix.action, why);
        if (!ran) plan_.warnings.push_back(result.rule_id + ": fix not planned: " + ran.error().message);
      } else if (!fix.text.empty() && manual_texts.insert(fix.text).second) {
        if (auto ok = add_step(std::make_shared<ManualStepAction>(fix.text), "rule." + result.rule_id, "manual", why,
                               kManual);
            !ok) {
          return ok.error();
        }
      }
    }
  }
  if (auto ok = finish_grub(); !ok) return ok.error();
  // Regenerate what is built from the edited files. Listed only when those files change: a second apply is a no-op.
  bool grub_changes = false, initramfs_changes = false, any = false;
  for (const auto& [order, step] : ordered_) {
    if (!step.file || !step.file->changes()) continue;
    any = true;
    if (step.file->path == kGrubDefaults) grub_changes = true;
    if (step.file->path == kPcibackModprobe || step.file->path == kInitramfsModules) initramfs_changes = true;
  }
  if (grub_changes) {
    if (auto ok = add_step(std::make_shared<RunCommandAction>(std::vector<std::string>{"update-grub"}), "grub.update",
                           "grub", "grub.cfg is generated from /etc/default/grub: the change takes effect only after this",
                           kUpdateGrub);
        !ok) {
      return ok.error();
    }
  }
  if (initramfs_changes && host_.exists("/etc/initramfs-tools")) {
    if (auto ok = add_step(std::make_shared<RunCommandAction>(std::vector<std::string>{"update-initramfs", "-u"}),
                           "initramfs.update", "pciback-hide",
                           "the initramfs holds copies of /etc/modprobe.d and its module list", kUpdateInitramfs);
        !ok) {
      return ok.error();
    }
  }
  if (any) {
    if (auto ok = add_step(std::make_shared<ManualStepAction>("Reboot into the Xen boot entry, then run `ptdoctor verify`"
                                                              " to check that every step took effect"),
                           "reboot", "manual", "boot options and module options are read at boot", kReboot);
        !ok) {
      return ok.error();
    }
  }
  std::stable_sort(ordered_.begin(), ordered_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [order, step] : ordered_) plan_.steps.push_back(std::move(step));
  Json choices = {{"gpu", choices_.gpu}, {"usb", choices_.usb}, {"name", choices_.name}, {"disks", choices_.disks},
                  {"bridge", choices_.bridge}, {"cdrom", choices_.cdrom},
                  {"memory_mb", domu_mb_}, {"vcpus", domu_vcpus_}, {"dom0_mem_mb", dom0_mb_}};
  plan_.choices = choices;
  return std::move(plan_);
}

}  // namespace

const std::vector<GeneratorInfo>& fix_generators() {
  static const std::vector<GeneratorInfo> kGenerators = {
      {"kconfig-fragment", "kernel config fragment with the missing Xen dom0 options this kernel knows"},
      {"pciback-hide", "hide the GPU functions and USB groups from dom0 (kernel line, or modprobe.d for a module)"},
      {"xen-iommu", "turn Xen's IOMMU on: drop iommu=0/off, add iommu=1"},
      {"xen-dom0-mem", "fixed dom0 memory: dom0_mem=NM,max:NM"},
      {"domu-config", "/etc/xen/NAME.cfg and NAME-install.cfg (needs --name)"},
      {"pci-assignable", "xl pci-assignable-add for each device (running Xen only)"},
      {"xen-cmdline", "edit the Xen hypervisor line: {add: [words], remove: [options]}"},
      {"dom0-cmdline", "edit the dom0 kernel line of Xen entries: {add: [words], remove: [options]}"},
      {"module-load", "load a module at boot via /etc/modules: {module: NAME}"},
      {"manual", "a step only a person can do: {text: ...}"},
  };
  return kGenerators;
}

Result<Plan> make_plan(const FactReader& facts, const HostView& host, const Choices& choices,
                       const std::vector<RuleResult>& results) {
  Builder builder(facts, host, choices);
  return builder.build(results);
}

}  // namespace ptdoctor::fix
