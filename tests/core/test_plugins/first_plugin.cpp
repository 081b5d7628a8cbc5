// A plugin others need: it must run before "good" even though it sorts after it by file name.
#include "ptdoctor/plugin_api.hpp"

namespace {

class FirstPlugin final : public ptdoctor::Plugin {
 public:
  ptdoctor::PluginInfo info() const override { return {"first", "1.0", "first", "runs first", {"first.ran"}, {}}; }
  void collect(const ptdoctor::CollectContext&, ptdoctor::FactWriter& out) override { out.set("ran", true, "test"); }
};

}  // namespace

PTDOCTOR_PLUGIN(FirstPlugin)
