// The failing rules' fixes as plan steps. A fix with a generator runs it; a text-only fix becomes a manual step, said
// once, and only when no generator of the plan does the same: a text that describes what a generator automates
// carries that generator in its rule (`action:`), so it never shows up again as a step by hand. Alternatives (a text
// that starts with "Or") share one "one of" step with the text before them; an alternative to a generator's step
// is left out when the generator planned it. The manual steps of a failing blocker that other failures follow from
// (not running Xen) come first: they are prerequisites of the rest.
#include <algorithm>
#include <memory>
#include <set>

#include "fix/planner.hpp"
#include "fix/planner_builder.hpp"
#include "ptdoctor/json_fields.hpp"

namespace ptdoctor::fix::detail {
namespace {

bool is_alternative(std::string_view text) { return starts_with(text, "Or ") || starts_with(text, "Or, "); }

// Each text-only fix, alternatives ("Or ...") grouped with the text before them. An alternative to a generator fix
// that planned a change is left out: the plan does that fix, so the other way is not a step too. `planned[i]`: the
// i-th fix is a generator fix whose generator planned something.
std::vector<std::vector<std::string>> manual_groups(const RuleResult& result, const std::vector<bool>& planned) {
  std::vector<std::vector<std::string>> groups;
  bool after_planned = false;  // the texts since the last generator fix are alternatives to what it planned
  for (std::size_t i = 0; i < result.fixes.size(); ++i) {
    const Fix& fix = result.fixes[i];
    if (!string_field(fix.action, "generator").empty()) {
      after_planned = planned[i];
      continue;
    }
    if (fix.text.empty()) continue;
    const bool alternative = is_alternative(fix.text);
    if (alternative && after_planned) continue;
    after_planned = false;
    if (alternative && !groups.empty()) {
      groups.back().push_back(fix.text);
    } else {
      groups.push_back({fix.text});
    }
  }
  return groups;
}

// One step's text: the single text, or "One of:" with each alternative on its own line.
std::string step_text(const std::vector<std::string>& texts) {
  if (texts.size() == 1) return texts.front();
  std::string text = "One of:";
  for (const std::string& alternative : texts) text += "\n   - " + alternative;
  return text;
}

// Rule ids that some other failure follows from (RuleResult::caused_by): fixing those comes first.
std::set<std::string> root_cause_ids(const std::vector<RuleResult>& results) {
  std::set<std::string> ids;
  for (const RuleResult& result : results) {
    if (!result.caused_by.empty()) ids.insert(result.caused_by);
  }
  return ids;
}

}  // namespace

Status Builder::add_rule_fixes(const std::vector<RuleResult>& results) {
  const std::set<std::string> root_causes = root_cause_ids(results);
  std::vector<std::string> prerequisites;
  for (const RuleResult& result : results) {
    if (result.status != RuleStatus::kFail) continue;
    const std::string why = result.rule_id + ": " + result.message;
    std::vector<bool> planned(result.fixes.size(), false);
    for (std::size_t i = 0; i < result.fixes.size(); ++i) {
      const Fix& fix = result.fixes[i];
      const std::string generator = string_field(fix.action, "generator");
      if (generator.empty()) continue;
      auto ran = run_generator(generator, fix.action, why);
      if (!ran) {
        plan_.warnings.push_back(result.rule_id + ": fix not planned: " + ran.error().message);
        continue;
      }
      planned[i] = *ran;
      if (*ran && result.severity == Severity::kBlocker && generator != "manual") {
        plan_.addressed.push_back(result.rule_id);
      }
    }
    const bool prerequisite = result.severity == Severity::kBlocker && result.caused_by.empty() &&
                              root_causes.count(result.rule_id) > 0;
    for (const std::vector<std::string>& group : manual_groups(result, planned)) {
      std::vector<std::string> unsaid;
      for (const std::string& text : group) {
        if (manual_texts_.insert(text).second) unsaid.push_back(text);
      }
      if (unsaid.empty()) continue;
      // A warning's advice (reboot between guest runs) is not a change that makes this host ready: the plan prints
      // it once among its notes, not as a numbered step. An info note's advice ("Nothing to do: the plan passes the
      // whole group") is for `check` alone: in a plan it is noise between the notes that matter.
      if (result.severity == Severity::kInfo) continue;
      if (result.severity != Severity::kBlocker) {
        plan_.notes.push_back(result.rule_id + ": " + step_text(unsaid));
        continue;
      }
      if (auto ok = add_step(std::make_shared<ManualStepAction>(step_text(unsaid)), "rule." + result.rule_id, "manual",
                             why, prerequisite ? kPrerequisite : kManual);
          !ok) {
        return ok;
      }
      if (prerequisite && std::find(prerequisites.begin(), prerequisites.end(), result.rule_id) == prerequisites.end()) {
        prerequisites.push_back(result.rule_id);
      }
    }
  }
  if (!prerequisites.empty()) {
    std::string ids;
    for (const std::string& id : prerequisites) ids += (ids.empty() ? "" : ", ") + id;
    plan_.warnings.push_back("do the first step(s) first (" + ids + ": other problems follow from it), then run "
                             "`ptdoctor plan` again: the later steps were planned without the facts those steps "
                             "will change");
  }
  return Ok{};
}

// A hidden device bound to pci-stub or vfio-pci at boot (the KVM habit: pci-stub.ids= / vfio-pci.ids=) is claimed
// by the stub before xen-pciback loads, and pciback does not take a device another driver holds
// (drivers/xen/xen-pciback/pci_stub.c: the hide list only matches devices it probes). The ids live on the kernel
// line or in modprobe.d, and may name other devices too, so removing them is left to the user, with the real ids.
Status Builder::add_stub_release_steps() {
  const Json* devices = fact("pci.devices");
  if (!devices || !devices->is_array()) return Ok{};
  for (const std::string& bdf : plan_.hide_list) {
    for (const Json& device : *devices) {
      if (string_field(device, "bdf") != bdf) continue;
      const std::string driver = string_field(device, "driver");
      if (driver != "pci-stub" && driver != "vfio-pci") continue;
      // "0x10de" and "0x2484" -> "10de:2484", the ids= syntax of drivers/pci/pci-stub.c and vfio-pci.
      auto hex = [&](const char* key) {
        std::string value = string_field(device, key);
        return starts_with(value, "0x") ? value.substr(2) : value;
      };
      const std::string id = hex("vendor_id") + ":" + hex("device_id");
      const std::string text = bdf + " is bound to " + driver + ", which claims it at boot before xen-pciback: "
                               "remove " + id + " from " + driver + ".ids= (on the kernel line in /etc/default/grub, "
                               "or in modprobe.d), then run update-grub (kernel line) or update-initramfs -u (modprobe.d)";
      if (!manual_texts_.insert(text).second) continue;
      if (auto ok = add_step(std::make_shared<ManualStepAction>(text), "stub." + bdf, "pciback-hide",
                             "libxl assigns only devices bound to pciback, and " + driver + " holds " + bdf,
                             kManual);
          !ok) {
        return ok;
      }
    }
  }
  return Ok{};
}

}  // namespace ptdoctor::fix::detail
