// A plugin that fails half way: the facts it set stay, the rest of its namespace becomes unknown.
#include <stdexcept>

#include "ptdoctor/plugin_api.hpp"

namespace {

class ThrowingPlugin final : public ptdoctor::Plugin {
 public:
  ptdoctor::PluginInfo info() const override { return {"thrower", "0.1", "thrower", "always throws", {}, {}}; }
  void collect(const ptdoctor::CollectContext&, ptdoctor::FactWriter& out) override {
    out.set("partial", 1, "test");
    throw std::runtime_error("simulated parser crash");
  }
};

}  // namespace

PTDOCTOR_PLUGIN(ThrowingPlugin)
