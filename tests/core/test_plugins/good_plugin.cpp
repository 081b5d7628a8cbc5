// A well-behaved plugin for loader tests: writes facts in its namespace and reads the host view.
#include "ptdoctor/plugin_api.hpp"

namespace {

class GoodPlugin final : public ptdoctor::Plugin {
 public:
  ptdoctor::PluginInfo info() const override {
    return {"good", "1.2.3", "good", "test plugin that behaves", {"good.answer", "good.motd"}, {"first"}};
  }
  void collect(const ptdoctor::CollectContext& context, ptdoctor::FactWriter& out) override {
    out.set("answer", 42, "test");
    auto motd = context.host.read_file("/etc/motd", 4096);
    if (motd) out.set("motd", *motd, "/etc/motd");
    else out.unknown("motd", motd.error().message);
    // Facts of a plugin this one needs are visible: proves the dependency order.
    const ptdoctor::Json* first = context.facts.find("first.ran");
    out.set("saw_first", first != nullptr, "facts");
  }
};

}  // namespace

PTDOCTOR_PLUGIN(GoodPlugin)
