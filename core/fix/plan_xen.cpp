// Generators for the Xen hypervisor line (IOMMU, dom0 memory, rule-supplied words) and the memory/vcpu sizing.
#include <algorithm>
#include <memory>

#include "fix/kconfig_options.hpp"
#include "fix/planner.hpp"
#include "fix/planner_builder.hpp"
#include "dom0_memory.hpp"
#include "xen_iommu_words.hpp"

namespace ptdoctor::fix::detail {
namespace {

bool is_iommu_off_word(std::string_view word) { return xen_iommu_switch(word) == XenIommuSwitch::kOff; }

// `iommu=no-intremap` anywhere (alone or inside a list): interrupt remapping off, which keeps Xen's Tylersburg
// quirk from switching the IOMMU off (xen/drivers/passthrough/vtd/quirks.c platform_quirks_init).
bool has_no_intremap(const std::vector<std::string>& words) {
  for (const std::string& word : words) {
    if (!starts_with(word, "iommu=")) continue;
    std::string list = "," + word.substr(6) + ",";
    if (list.find(",no-intremap,") != std::string::npos || list.find(",intremap=0,") != std::string::npos ||
        list.find(",intremap=off,") != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

// Xen's IOMMU is on by default (xen-command-line.pandoc "iommu"), so `iommu=1` never turns it on: the plan removes
// what switches it off, adds `iommu=no-intremap` where Xen's chipset quirk needs it, and otherwise asks for the
// cause (`iommu=verbose`).
Status Builder::gen_xen_iommu() {
  std::string text = grub_text();
  // 20_linux_xen writes "${GRUB_CMDLINE_XEN} ${GRUB_CMDLINE_XEN_DEFAULT}": later words win.
  std::vector<std::string> file_words = shell_variable_words(text, kXenAlways);
  for (const std::string& word : shell_variable_words(text, kXenDefault)) file_words.push_back(word);
  // Xen parses the words in order and each iommu= word sets the switch again (xen/drivers/passthrough/iommu.c
  // parse_iommu_param), so `iommu=off iommu=1` leaves the IOMMU on: only an "off" that is the last switch counts.
  XenIommuSwitch last_switch = XenIommuSwitch::kUntouched;
  for (const std::string& word : file_words) {
    if (XenIommuSwitch the_switch = xen_iommu_switch(word); the_switch != XenIommuSwitch::kUntouched) {
      last_switch = the_switch;
    }
  }
  bool off_in_file = last_switch == XenIommuSwitch::kOff;
  bool errata = fact_bool("xen.intremap_errata").value_or(false);
  bool add_no_intremap = errata && !has_no_intremap(file_words);
  std::optional<bool> enabled = fact_bool("xen.iommu_enabled");

  if (off_in_file && !shell_variable_words(text, kXenAlways).empty()) {
    VariableEdit edit;
    edit.key = kXenAlways;
    edit.editor = [](ShellWords& words) { words.remove_if(is_iommu_off_word); };
    grub_edit(std::move(edit), "remove the words that switch Xen's IOMMU off (iommu=0/off/no, no-iommu) from "
                               "GRUB_CMDLINE_XEN");
  }
  if (off_in_file || add_no_intremap) {
    VariableEdit edit;
    edit.key = kXenDefault;
    edit.editor = [add_no_intremap](ShellWords& words) {
      words.remove_if(is_iommu_off_word);
      if (add_no_intremap && !words.contains("iommu=no-intremap")) words.add("iommu=no-intremap");
    };
    edit.comment = "# Added by ptdoctor: options of the Xen hypervisor line";
    std::string why = off_in_file ? "remove the words that switch Xen's IOMMU off (iommu=0/off/no, no-iommu)" : "";
    if (add_no_intremap) {
      why += std::string(why.empty() ? "" : "; ") +
             "add iommu=no-intremap: on this Intel X58/5500/5520 chipset (xen.intremap_errata) Xen switches its "
             "IOMMU off unless interrupt remapping is off. The price: without interrupt remapping a passed-through "
             "device can send forged interrupts (MSIs) to other domains";
    }
    grub_edit(std::move(edit), why);
    return Ok{};
  }
  if (enabled.value_or(true)) return Ok{};
  // Off, and /etc/default/grub does not say so: either the running line comes from elsewhere, or the cause is not
  // an option at all (firmware, a DMAR/IVRS table Xen rejected).
  if (std::string off_by = fact_string("xen.commandline_iommu_off_by"); !off_by.empty()) {
    return add_step(std::make_shared<ManualStepAction>(
                        "Xen runs with " + off_by + " but /etc/default/grub does not set it: remove it from where it "
                        "comes from (/etc/default/grub.d/*.cfg, the boot loader entry, or xen.cfg for xen.efi)"),
                    "xen.iommu-elsewhere", "xen-iommu", "passthrough needs Xen's IOMMU (xen.iommu_enabled)", kManual);
  }
  return add_step(std::make_shared<ManualStepAction>(
                      "Xen's IOMMU is off and no option switches it off: add iommu=verbose to GRUB_CMDLINE_XEN_DEFAULT, "
                      "run update-grub, reboot, and read `xl dmesg | grep -i -e VT-d -e AMD-Vi -e IOMMU -e DMAR` for "
                      "the reason (usually VT-d / AMD-Vi off in the firmware, or a firmware table Xen rejected). "
                      "Once the IOMMU is on, iommu=required makes Xen refuse to boot without it"),
                  "xen.iommu-cause", "xen-iommu", "passthrough needs Xen's IOMMU (xen.iommu_enabled)", kManual);
}

void Builder::size_memory() {
  std::optional<long> total = fact_number("xen.total_memory_mb");
  std::optional<long> cpus = fact_number("xen.nr_cpus");
  if (!total) {
    plan_.warnings.push_back("memory sizes are defaults: " + unknown_why("xen.total_memory_mb") +
                             "; check dom0_mem and the domU's memory");
  }
  // The size the rule texts propose too (`{xen.total_memory_mb|dom0-mem}`).
  dom0_mb_ = total ? dom0_memory_mb(*total) : 2048;
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
  std::string word = dom0_mem_option(dom0_mb_);
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
