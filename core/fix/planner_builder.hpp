#pragma once
// Inside the planner: the state one plan is built in, shared by the generator files (planner.cpp for the frame and
// device choice, plan_pciback.cpp, plan_xen.cpp, plan_domu.cpp). Not a public interface.
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fix/actions.hpp"
#include "fix/choices.hpp"
#include "fix/generators.hpp"
#include "fix/plan.hpp"
#include "ptdoctor/facts.hpp"
#include "ptdoctor/host_view.hpp"
#include "ptdoctor/report.hpp"

namespace ptdoctor::fix::detail {

// Step order: prerequisites first (what a person must do before the rest can work: install Xen), then the kernel (it
// needs a rebuild), boot configuration, the commands that regenerate from it, the domU, runtime commands, and what
// only a person can do.
enum Order { kPrerequisite = 5, kKernel = 10, kGrub = 20, kModprobe = 30, kModules = 31, kInitramfs = 32, kUpdateGrub = 40,
             kUpdateInitramfs = 41, kDomu = 50, kDomuInstall = 51, kLoadPciback = 59, kAssignable = 60, kManual = 70, kReboot = 80 };

inline constexpr const char* kXenDefault = "GRUB_CMDLINE_XEN_DEFAULT";
inline constexpr const char* kXenAlways = "GRUB_CMDLINE_XEN";
inline constexpr const char* kDom0Xen = "GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT";

inline bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }
inline long round_down(long value, long step) { return value / step * step; }

class Builder {
 public:
  Builder(const FactReader& facts, const HostView& host, const Choices& choices)
      : facts_(facts), host_(host), choices_(choices),
        random_(choices.seed ? *choices.seed : std::random_device{}()) {}

  Result<Plan> build(const std::vector<RuleResult>& results);
  // The generator table (generators.hpp): defined here so its entries may call the private gen_* members.
  static const std::vector<Generator>& generators();

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
  Status gen_reboot_into_xen(const std::string& why);
  // The fixes of the failing rules: generator fixes run their generator, text-only fixes become manual steps
  // (plan_rule_fixes.cpp).
  Status add_rule_fixes(const std::vector<RuleResult>& results);
  Status add_stub_release_steps();
  // Runs a generator by name (once-per-plan ones only the first time); true when it planned a change.
  Result<bool> run_generator(const std::string& name, const Json& params, const std::string& why);
  Status finish_grub();
  void size_memory();
  std::vector<std::string> softdep_modules() const;
  std::string live_unbind_hazard(const std::string& bdf) const;

  const FactReader& facts_;
  const HostView& host_;
  const Choices& choices_;
  std::mt19937_64 random_;
  Plan plan_;
  std::vector<std::pair<int, PlanStep>> ordered_;
  std::set<std::string> manual_texts_;  // texts of the manual steps planned so far: each is said once
  std::map<std::string, bool> generators_done_;  // once-per-plan generators run so far -> whether they planned a change
  bool reboot_planned_ = false;  // the reboot into Xen is a step already (gen_reboot_into_xen)
  std::vector<VariableEdit> grub_edits_;
  std::vector<std::string> grub_reasons_;
  std::vector<std::string> gpu_functions_;
  std::string gpu_vendor_;
  std::vector<std::string> usb_functions_;
  long dom0_mb_ = 0, domu_mb_ = 0, domu_vcpus_ = 0;
};

}  // namespace ptdoctor::fix::detail
