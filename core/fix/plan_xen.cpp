// Generators for the Xen hypervisor line (IOMMU, dom0 memory, rule-supplied words) and the memory/vcpu sizing.
#include <algorithm>
#include <memory>

#include "fix/kconfig_options.hpp"
#include "fix/planner.hpp"
#include "fix/planner_builder.hpp"

namespace ptdoctor::fix::detail {
namespace {

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

}  // namespace

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

}  // namespace ptdoctor::fix::detail
