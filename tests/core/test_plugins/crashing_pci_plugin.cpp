// Stands in for the pci plugin and throws half way through collecting, as a parser bug on an odd machine would:
// the run goes on, the report names the pci plugin at the top, and the rules that need PCI facts say unknown.
#include <stdexcept>

#include "ptdoctor/plugin_api.hpp"

namespace {

class CrashingPciPlugin final : public ptdoctor::Plugin {
 public:
  ptdoctor::PluginInfo info() const override {
    return {"pci", "0.1", "pci", "throws while collecting", {}, {}};
  }
  void collect(const ptdoctor::CollectContext&, ptdoctor::FactWriter& out) override {
    out.set("source", "sysfs", "test");
    throw std::runtime_error("simulated crash reading config space");
  }
};

}  // namespace

PTDOCTOR_PLUGIN(CrashingPciPlugin)
