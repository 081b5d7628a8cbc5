#pragma once
// `ptdoctor verify`: after the reboot, did each step of the applied plan take effect, and if not, which one and why
// (the grub file edited but update-grub never run, pciback not loaded, the IOMMU still off...).
#include <string>
#include <vector>

#include "fix/plan.hpp"
#include "ptdoctor/facts.hpp"
#include "ptdoctor/host_view.hpp"

namespace ptdoctor::fix {

struct VerifyCheck {
  std::string id;       // "pciback.0000:08:00.0", "grub.generated", "xen.iommu", "domu.config"
  std::string status;   // "ok" | "fail" | "unknown"
  std::string message;  // what was found, and for fail/unknown which step did not take effect and why
};

// `intended`: the plan that was applied (the journal keeps it) or the plan as it would be now.
std::vector<VerifyCheck> verify_setup(const FactReader& facts, const HostView& host, const Plan& intended);

// A syntax check of an xl config as xl reads it (KEY = "string" | 'string' | number | [ list ]; # comments), for
// hosts without libxlutil at hand. Empty when fine, else "line N: what".
std::string check_xl_config_syntax(const std::string& text);

}  // namespace ptdoctor::fix
