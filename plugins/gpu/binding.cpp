#include "binding.hpp"

#include <algorithm>

namespace ptdoctor::gpu {
namespace {

bool listed(const FactReader& facts, const char* path, const std::string& bdf) {
  const Json* list = facts.find(path);
  return list && list->is_array() && std::find(list->begin(), list->end(), Json(bdf)) != list->end();
}

bool is_true(const FactReader& facts, const char* path) {
  const Json* value = facts.find(path);
  return value && value->is_boolean() && value->get<bool>();
}

}  // namespace

Json describe_binding(const FactReader& facts, const std::string& bdf, const Json& driver) {
  if (!driver.is_null() && !driver.is_string()) return nullptr;
  const std::string name = driver.is_string() ? driver.get<std::string>() : "";
  // No softdep module here: the drivers a softdep must order after xen-pciback are the planner's choice
  // (pciback_softdeps.hpp), which the rule texts render with `{gpu.target_info|pciback-softdeps}`.
  auto result = [&](const char* state, const std::string& text) {
    return Json{{"state", state}, {"driver", name.empty() ? Json() : Json(name)}, {"text", text}};
  };
  if (name == "pciback") return result("pciback", "bound to pciback, so libxl can assign it");
  if (name == "pci-stub" || name == "vfio-pci") {
    return result("stub", "bound to " + name + ", which Xen does not use (that is the KVM way): libxl assigns "
                              "only devices bound to pciback");
  }
  if (name.empty()) {
    // sysfs has no driver link: unbound. A config-space dump gives no drivers at all (driver is null there too),
    // so a dump cannot tell; callers pass the driver fact of a sysfs read only.
    return result("unbound", "bound to no driver: libxl assigns only devices bound to pciback");
  }
  // In effect this boot: the running command line's hide list, or modprobe.d's while pciback is loaded
  // (xen-pciback reads both when it initialises: drivers/xen/xen-pciback/pci_stub.c pcistub_init).
  const bool hidden_now = listed(facts, "kernel.pciback.cmdline_hide", bdf) ||
                          (listed(facts, "kernel.pciback.hide", bdf) && is_true(facts, "kernel.pciback.loaded"));
  if (hidden_now) {
    return result("hidden-but-held",
                  "hidden by xen-pciback's hide list, but " + name + " holds it: " + name +
                      " claimed it before xen-pciback loaded (no softdep, or " + name +
                      " loads from the initramfs without pciback), so the hide list did not take effect");
  }
  if (listed(facts, "kernel.pciback.hide", bdf) || listed(facts, "kernel.grub.xen_dom0_pciback_hide", bdf)) {
    return result("next-boot", "held by dom0's " + name +
                                   " driver now; the hide list configured for the next boot names it, so it "
                                   "should be bound to pciback after a reboot (check again then)");
  }
  return result("held", "held by dom0's " + name + " driver and named in no xen-pciback hide list");
}

}  // namespace ptdoctor::gpu
