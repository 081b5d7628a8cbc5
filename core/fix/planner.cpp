#include "fix/planner.hpp"

#include <algorithm>
#include <memory>
#include <set>

#include "fix/actions.hpp"
#include "fix/kconfig_options.hpp"
#include "fix/planner_builder.hpp"
#include "fix/shell_variable.hpp"
#include "ptdoctor/json_fields.hpp"

namespace ptdoctor::fix::detail {

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
        std::string bdf = string_field(candidate, "bdf");
        if (bdf == gpu || std::find(functions.begin(), functions.end(), gpu) != functions.end()) {
          if (!functions.empty()) gpu_functions_ = functions;
          gpu_vendor_ = string_field(candidate, "vendor_id");
          found = true;
          if (bool_field(candidate, "boot_vga")) {
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
      std::size_t index = 0;
      for (const Json& controller : *controllers) {
        const std::string at = "usb.controllers." + std::to_string(index++);
        std::vector<std::string> companions;
        if (controller.contains("companions") && controller["companions"].is_array()) {
          for (const Json& c : controller["companions"]) {
            if (c.is_string()) companions.push_back(c.get<std::string>());
          }
        }
        if (string_field(controller, "bdf") == want ||
            std::find(companions.begin(), companions.end(), want) != companions.end()) {
          if (!companions.empty()) group = companions;
          if (bool_field(controller, "has_keyboard")) {
            plan_.warnings.push_back(string_field(controller, "bdf", want) + " has a keyboard attached: once it is hidden, "
                                     "dom0 has no keyboard on it. Move the keyboard to another controller's port");
          } else if (!has_bool(controller, "has_keyboard")) {
            plan_.warnings.push_back("cannot tell whether a keyboard is attached to " + string_field(controller, "bdf", want) +
                                     ": " + unknown_why(at + ".has_keyboard") +
                                     ". Check with `lsusb -t` before hiding it: dom0 loses every device on its ports");
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

const std::vector<Generator>& Builder::generators() {
  static const std::vector<Generator> kGenerators = {
      {"kconfig-fragment", "kernel config fragment with the missing Xen dom0 options this kernel knows", false,
       [](Builder& b, const Json&, const std::string&) { return b.gen_kconfig(); }},
      {"pciback-hide", "hide the GPU functions and USB groups from dom0 (kernel line, or modprobe.d for a module)",
       false, [](Builder& b, const Json&, const std::string&) { return b.gen_pciback_hide(); }},
      {"xen-iommu",
       "turn Xen's IOMMU on: drop iommu=0/off/no-iommu, add iommu=no-intremap on X58/5500/5520, else find the cause",
       false,
       [](Builder& b, const Json&, const std::string&) { return b.gen_xen_iommu(); }},
      {"xen-dom0-mem", "fixed dom0 memory: dom0_mem=NM,max:NM", false,
       [](Builder& b, const Json&, const std::string&) { return b.gen_dom0_mem(); }},
      {"domu-config", "/etc/xen/NAME.cfg and NAME-install.cfg (needs --name)", false,
       [](Builder& b, const Json&, const std::string&) { return b.gen_domu(); }},
      {"pci-assignable",
       "xl pci-assignable-add for each device (running Xen only; not for a device a graphics driver drives or that "
       "carries dom0's keyboard)",
       false,
       [](Builder& b, const Json&, const std::string&) { return b.gen_assignable(); }},
      {"xen-cmdline", "edit the Xen hypervisor line: {add: [words], remove: [options]}", true,
       [](Builder& b, const Json& params, const std::string& why) { return b.gen_cmdline(kXenDefault, params, why); }},
      {"dom0-cmdline", "edit the dom0 kernel line of Xen entries: {add: [words], remove: [options]}", true,
       [](Builder& b, const Json& params, const std::string& why) { return b.gen_cmdline(kDom0Xen, params, why); }},
      {"module-load", "load a module at boot via /etc/modules: {module: NAME}", true,
       [](Builder& b, const Json& params, const std::string& why) {
         return b.gen_module_load(string_field(params, "module"), why);
       }},
      {"reboot-into-xen", "the plan ends with a reboot into GRUB's Xen entry (Xen installed, this boot without it)",
       false, [](Builder& b, const Json&, const std::string& why) { return b.gen_reboot_into_xen(why); }},
      {"manual", "a step only a person can do: {text: ...}", true,
       [](Builder& b, const Json& params, const std::string& why) -> Status {
         std::string text = string_field(params, "text");
         if (text.empty()) return make_error(ErrorKind::kInvalidInput, "manual generator without text");
         if (!b.manual_texts_.insert(text).second) return Ok{};  // said once already
         return b.add_step(std::make_shared<ManualStepAction>(text), "manual", "manual", why, kManual);
       }},
  };
  return kGenerators;
}

// Xen installed but not running: GRUB's "with Xen hypervisor" entry starts it (Debian's /etc/grub.d/20_linux_xen).
// The reboot is the last step, so the files written before it take effect in the same boot.
Status Builder::gen_reboot_into_xen(const std::string& why) {
  if (reboot_planned_) return Ok{};
  reboot_planned_ = true;
  return add_step(std::make_shared<ManualStepAction>(
                      "Reboot and choose the \"with Xen hypervisor\" entry in the GRUB menu, then run "
                      "`ptdoctor verify` to check that every step took effect"),
                  "reboot", "reboot-into-xen", why.empty() ? "Xen runs only when GRUB's Xen entry starts it" : why,
                  kReboot);
}

Result<bool> Builder::run_generator(const std::string& name, const Json& params, const std::string& why) {
  const Generator* generator = find_generator(name);
  if (generator == nullptr) {
    return make_error(ErrorKind::kInvalidInput, "unknown fix generator \"" + name + "\"; known: " + generator_names());
  }
  if (!generator->per_rule) {
    if (auto done = generators_done_.find(name); done != generators_done_.end()) return done->second;
  }
  // Whether this run planned anything: a rule whose generator planned nothing is not addressed by the plan.
  const std::size_t before = ordered_.size() + grub_edits_.size();
  if (auto ran = generator->run(*this, params, why); !ran) return ran.error();
  const bool planned = ordered_.size() + grub_edits_.size() > before;
  if (!generator->per_rule) generators_done_[name] = planned;
  return planned;
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
      // One warning per variable: several edits of one variable (iommu=no-intremap, dom0_mem=) are one problem.
      std::set<std::string> warned;
      for (const VariableEdit& edit : grub_edits_) {
        if (assigns_shell_variable(**text, edit.key) && warned.insert(edit.key).second) {
          warnings.push_back("/etc/default/grub.d/" + name + " also sets " + edit.key +
                             " and is read after /etc/default/grub: make it keep the words this step adds");
        }
      }
    }
  }
  std::string why;
  for (const std::string& reason : grub_reasons_) why += (why.empty() ? "" : "; ") + reason;
  auto added = add_step(std::make_shared<ShellVariableAction>(kGrubDefaults, grub_edits_), "grub.defaults", "grub",
                        why, kGrub, warnings);
  if (added || added.error().kind != ErrorKind::kInvalidInput) return added;
  // A file this editor cannot rewrite safely (sh quoting it does not follow, a quote never closed): the rest of
  // the plan still stands, and the person gets the words to add and the reason it was not done for them.
  std::string words;
  for (const VariableEdit& edit : grub_edits_) {
    ShellWords words_added{""};
    edit.editor(words_added);
    if (!words_added.raw().empty()) words += (words.empty() ? "" : "; ") + edit.key + ": " + words_added.raw();
  }
  return add_step(std::make_shared<ManualStepAction>(
                      added.error().message + ". Then make these boot options part of it and run `update-grub`: " +
                      (words.empty() ? "see the rules above" : words)),
                  "grub.defaults", "manual", why, kGrub, warnings);
}

Result<Plan> Builder::build(const std::vector<RuleResult>& results) {
  plan_.root = host_.root();
  if (auto ok = validate_choices(choices_); !ok) return ok.error();
  if (auto ok = choose_devices(); !ok) return ok.error();
  size_memory();
  for (const char* name : {"kconfig-fragment", "pciback-hide", "xen-iommu", "xen-dom0-mem", "domu-config",
                           "pci-assignable"}) {
    if (auto ran = run_generator(name, Json::object(), ""); !ran) return ran.error();
  }
  if (auto ok = add_stub_release_steps(); !ok) return ok.error();
  if (auto ok = add_rule_fixes(results); !ok) return ok.error();
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
  if (any && !reboot_planned_) {
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

}  // namespace ptdoctor::fix::detail

namespace ptdoctor::fix {

const std::vector<Generator>& fix_generators() { return detail::Builder::generators(); }

const Generator* find_generator(std::string_view name) {
  for (const Generator& generator : fix_generators()) {
    if (name == generator.name) return &generator;
  }
  return nullptr;
}

std::string generator_names() {
  std::string names;
  for (const Generator& generator : fix_generators()) names += (names.empty() ? "" : ", ") + std::string(generator.name);
  return names;
}

Result<Plan> make_plan(const FactReader& facts, const HostView& host, const Choices& choices,
                       const std::vector<RuleResult>& results) {
  detail::Builder builder(facts, host, choices);
  return builder.build(results);
}

}  // namespace ptdoctor::fix
