#include "fix/verify.hpp"

#include <algorithm>
#include <cctype>

#include "fix/actions.hpp"
#include "fix/planner.hpp"
#include "fix/shell_variable.hpp"
#include "ptdoctor/json_fields.hpp"

namespace ptdoctor::fix {
namespace {

std::vector<std::string> string_list(const FactReader& facts, std::string_view path) {
  std::vector<std::string> out;
  const Json* value = facts.find(path);
  if (value && value->is_array()) {
    for (const Json& item : *value) {
      if (item.is_string()) out.push_back(item.get<std::string>());
    }
  }
  return out;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string reason_of(const FactReader& facts, std::string_view path) {
  auto reason = facts.unknown_reason(path);
  return std::string(path) + " unknown" + (reason ? ": " + *reason : "");
}

// Skips blanks and comments; returns false at end of text.
void skip_blank(const std::string& text, std::size_t& i, std::size_t& line) {
  while (i < text.size()) {
    if (text[i] == '\n') {
      ++line;
      ++i;
    } else if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    } else if (text[i] == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else {
      break;
    }
  }
}

bool parse_value(const std::string& text, std::size_t& i, std::size_t& line, std::string& error, int depth) {
  skip_blank(text, i, line);
  if (i >= text.size()) {
    error = "line " + std::to_string(line) + ": value missing at end of file";
    return false;
  }
  char c = text[i];
  if (c == '"' || c == '\'') {
    std::size_t close = text.find(c, i + 1);
    std::size_t newline = text.find('\n', i + 1);
    if (close == std::string::npos || (newline != std::string::npos && newline < close)) {
      error = "line " + std::to_string(line) + ": unterminated string";
      return false;
    }
    i = close + 1;
    return true;
  }
  if (c == '[' && depth == 0) {
    ++i;
    skip_blank(text, i, line);
    if (i < text.size() && text[i] == ']') {
      ++i;
      return true;
    }
    while (true) {
      if (!parse_value(text, i, line, error, depth + 1)) return false;
      skip_blank(text, i, line);
      if (i < text.size() && text[i] == ',') {
        ++i;
        skip_blank(text, i, line);
        if (i < text.size() && text[i] == ']') {
          ++i;
          return true;
        }
        continue;
      }
      if (i < text.size() && text[i] == ']') {
        ++i;
        return true;
      }
      error = "line " + std::to_string(line) + ": expected , or ] in a list";
      return false;
    }
  }
  std::size_t start = i;
  while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '.' || text[i] == '-')) ++i;
  if (i == start) {
    error = "line " + std::to_string(line) + ": unexpected '" + std::string(1, c) + "'";
    return false;
  }
  return true;
}

}  // namespace

std::string check_xl_config_syntax(const std::string& text) {
  std::size_t i = 0, line = 1;
  std::string error;
  while (true) {
    skip_blank(text, i, line);
    if (i >= text.size()) return "";
    std::size_t start = i;
    while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_')) ++i;
    if (i == start) return "line " + std::to_string(line) + ": expected a setting name";
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i >= text.size() || text[i] != '=') return "line " + std::to_string(line) + ": expected '=' after the name";
    ++i;
    if (!parse_value(text, i, line, error, 0)) return error;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == ';')) ++i;
    if (i < text.size() && text[i] != '\n' && text[i] != '#') {
      return "line " + std::to_string(line) + ": text after the value";
    }
  }
}

std::vector<VerifyCheck> verify_setup(const FactReader& facts, const HostView& host, const Plan& intended) {
  std::vector<VerifyCheck> checks;
  const PlanStep* grub_step = nullptr;
  const PlanStep* modprobe_step = nullptr;
  for (const PlanStep& step : intended.steps) {
    if (step.file && step.file->path == kGrubDefaults) grub_step = &step;
    if (step.file && step.file->path == kPcibackModprobe) modprobe_step = &step;
  }

  // 1. The words the plan put into /etc/default/grub must be in the generated grub.cfg and on the running lines.
  std::string grub_cfg_problem;
  if (grub_step) {
    auto now = read_current(host, kGrubDefaults);
    auto generated = read_current(host, "/boot/grub/grub.cfg");
    std::vector<std::string> words;
    for (const char* key : {"GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT", "GRUB_CMDLINE_XEN_DEFAULT", "GRUB_CMDLINE_XEN"}) {
      for (const std::string& word : shell_variable_words(grub_step->file->after, key)) {
        if (word.find('$') == std::string::npos) words.push_back(word);
      }
    }
    std::vector<std::string> missing_in_cfg;
    if (!now || !*now) {
      // Gone after the apply, or never written (no journal: the plan as it would be now was never applied).
      checks.push_back({"grub.defaults", "fail", std::string(kGrubDefaults) + " does not exist: the plan's boot options "
                                                 "are not there. Run `ptdoctor fix --apply`"});
    } else if (!generated || !*generated) {
      checks.push_back({"grub.generated", "unknown", "/boot/grub/grub.cfg cannot be read: cannot tell whether update-grub ran"});
    } else {
      for (const std::string& word : words) {
        if ((*generated)->find(word) == std::string::npos) missing_in_cfg.push_back(word);
      }
      if (missing_in_cfg.empty()) {
        checks.push_back({"grub.generated", "ok", "/boot/grub/grub.cfg has the plan's boot options"});
      } else {
        std::string list;
        for (const auto& w : missing_in_cfg) list += (list.empty() ? "" : " ") + w;
        grub_cfg_problem = "update-grub has not run since /etc/default/grub was edited";
        checks.push_back({"grub.generated", "fail",
                          std::string(kGrubDefaults) + " has " + list + " but /boot/grub/grub.cfg does not: " +
                              grub_cfg_problem + ". Run update-grub, then reboot"});
      }
    }
  }

  // 2. Xen's IOMMU, as xl dmesg reports it.
  const Json* iommu = facts.find("xen.iommu_enabled");
  if (iommu && iommu->is_boolean()) {
    if (iommu->get<bool>()) {
      checks.push_back({"xen.iommu", "ok", "xl dmesg: I/O virtualisation enabled"});
    } else {
      // On an X58/5500/5520 I/O hub Xen itself switches VT-d off unless interrupt remapping is off (the Tylersburg
      // quirk, xen/drivers/passthrough/vtd/quirks.c): the firmware is not the suspect there.
      const Json* errata = facts.find("xen.intremap_errata");
      std::string cause = !grub_cfg_problem.empty() ? grub_cfg_problem
                          : errata && errata->is_boolean() && errata->get<bool>()
                              ? "on this Intel X58/5500/5520 chipset Xen switches its IOMMU off unless the Xen line has "
                                "iommu=no-intremap (`ptdoctor fix --apply` adds it; then run update-grub and reboot)"
                              : "check VT-d/AMD-Vi in the firmware setup and iommu= on the Xen line";
      checks.push_back({"xen.iommu", "fail", "xl dmesg: I/O virtualisation disabled: " + cause});
    }
  } else {
    checks.push_back({"xen.iommu", "unknown", reason_of(facts, "xen.iommu_enabled") + " (not booted under Xen yet?)"});
  }

  // 3. pciback holds each device.
  std::vector<std::string> held = string_list(facts, "kernel.pciback.devices");
  for (const std::string& bdf : string_list(facts, "pci.pciback")) held.push_back(bdf);
  for (const std::string& bdf : string_list(facts, "xen.assignable")) held.push_back(bdf);
  bool known = facts.find("kernel.pciback.devices") || facts.find("pci.pciback") || facts.find("xen.assignable");
  const Json* loaded = facts.find("kernel.pciback.loaded");
  std::string cmdline;
  if (const Json* raw = facts.find("kernel.cmdline.raw"); raw && raw->is_string()) cmdline = raw->get<std::string>();
  // Only a plan that put the hide list on the kernel line can blame a running line without it (the list may be in
  // modprobe.d instead, with the grub step there for dom0_mem= or the Xen line).
  const bool hide_on_grub_line = grub_step && grub_step->file->after.find("pciback.hide") != std::string::npos;
  for (const std::string& bdf : intended.hide_list) {
    if (contains(held, bdf)) {
      checks.push_back({"pciback." + bdf, "ok", bdf + " is held by pciback (assignable)"});
      continue;
    }
    if (!known) {
      checks.push_back({"pciback." + bdf, "unknown", bdf + ": cannot tell who holds it (" +
                                                       reason_of(facts, "kernel.pciback.devices") + ")"});
      continue;
    }
    std::string why;
    std::string driver;
    if (const Json* devices = facts.find("pci.devices"); devices && devices->is_array()) {
      for (const Json& device : *devices) {
        if (string_field(device, "bdf") == bdf && device.contains("driver") && device["driver"].is_string()) {
          driver = device["driver"].get<std::string>();
        }
      }
    }
    if (!grub_cfg_problem.empty()) {
      why = grub_cfg_problem;
    } else if (const Json* dom0 = facts.find("kernel.xen_dom0"); dom0 && dom0->is_boolean() && !dom0->get<bool>()) {
      why = "this boot is not a Xen dom0: reboot into GRUB's \"with Xen hypervisor\" entry";
    } else if (hide_on_grub_line && cmdline.find("pciback.hide") == std::string::npos && !cmdline.empty()) {
      why = "the running kernel line has no xen-pciback.hide: not rebooted since update-grub, or booted a non-Xen entry";
    } else if (modprobe_step && loaded && loaded->is_boolean() && !loaded->get<bool>()) {
      why = "xen-pciback is not loaded: check " + std::string(kPcibackModprobe) + " and /etc/modules, and that "
            "update-initramfs ran";
    } else if (!driver.empty() && modprobe_step) {
      // Seen in the Xen lab: with update-initramfs not run, uhci_hcd and ehci-pci bound from the old initramfs,
      // which carried neither xen-pciback nor the softdeps, while the GPU (its driver loaded later) was hidden.
      why = driver + " claimed it first: it is built in, or it loaded from an initramfs without xen-pciback and " +
            std::string(kPcibackModprobe) + " (run `update-initramfs -u`, then reboot)";
    } else if (!driver.empty()) {
      why = driver + " claimed it first (it may be built in or loaded from the initramfs before pciback)";
    } else {
      why = "pciback does not list it";
    }
    checks.push_back({"pciback." + bdf, "fail", bdf + " is not held by pciback: " + why});
  }

  // 4. The domU configs the plan wrote still parse.
  for (const PlanStep& step : intended.steps) {
    if (!step.file || step.generator != "domu-config") continue;
    auto text = read_current(host, step.file->path);
    if (!text || !*text) {
      checks.push_back({"domu." + step.file->path, "fail", step.file->path + " is missing: apply the plan again"});
      continue;
    }
    std::string problem = check_xl_config_syntax(**text);
    checks.push_back({"domu." + step.file->path, problem.empty() ? "ok" : "fail",
                      problem.empty() ? step.file->path + " parses"
                                      : step.file->path + ": " + problem + "; fix it or roll back and plan again"});
  }
  return checks;
}

}  // namespace ptdoctor::fix
