// Two plugins that need nothing of each other, built from this file as "meet_a" and "meet_b": each leaves a mark
// in the host tree's /meet and waits for the other's. They meet only if the core runs them at the same time; run
// one after the other, the first gives up after kPatience and says so.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "ptdoctor/plugin_api.hpp"

namespace {

constexpr auto kPatience = std::chrono::seconds(20);

class MeetingPlugin final : public ptdoctor::Plugin {
 public:
  ptdoctor::PluginInfo info() const override {
    return {MEET_NAME, "1.0", MEET_NAME, "meets " MEET_OTHER, {MEET_NAME ".met"}, {}};
  }
  void collect(const ptdoctor::CollectContext& context, ptdoctor::FactWriter& out) override {
    const std::filesystem::path meet = context.host.real_path("/meet");
    std::ofstream(meet / MEET_NAME) << "here\n";
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    bool met = false;
    while (!(met = std::filesystem::exists(meet / MEET_OTHER)) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    out.set("met", met, "test");
  }
};

}  // namespace

PTDOCTOR_PLUGIN(MeetingPlugin)
