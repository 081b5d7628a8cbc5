#include "engine/collect.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <future>
#include <iterator>
#include <optional>

namespace ptdoctor::engine {
namespace {

// A FactWriter confined to one plugin's namespace.
class NamespacedWriter final : public FactWriter {
 public:
  NamespacedWriter(FactStore& store, std::string ns, std::vector<Diagnostic>& diagnostics, std::string origin)
      : store_(store), ns_(std::move(ns)), diagnostics_(diagnostics), origin_(std::move(origin)) {}

  void set(std::string_view relative_path, Json value, std::string_view source) override {
    if (!store_.set(absolute(relative_path), std::move(value), source)) {
      diagnostics_.push_back({"warning", origin_, "fact " + absolute(relative_path) +
                                                      " not stored: its parent is not a map (plugin bug)"});
    }
  }
  void unknown(std::string_view relative_path, std::string_view reason) override {
    store_.set_unknown(absolute(relative_path), reason);
  }
  void diagnostic(std::string_view message) override {
    diagnostics_.push_back({"warning", origin_, std::string(message)});
  }

 private:
  std::string absolute(std::string_view relative) const {
    return relative.empty() ? ns_ : ns_ + "." + std::string(relative);
  }
  FactStore& store_;
  std::string ns_;
  std::vector<Diagnostic>& diagnostics_;
  std::string origin_;
};

// What a plugin reads while others collect beside it: its own facts so far, and the facts of the plugins that
// finished before its wave began (among them all it needs). Nothing it reads changes while it runs.
class WaveReader final : public FactReader {
 public:
  WaveReader(const FactStore& finished, const FactStore& own, std::string ns)
      : finished_(finished), own_(own), ns_(std::move(ns)) {}

  const Json* find(std::string_view path) const override { return store_for(path).find(path); }
  std::optional<std::string> unknown_reason(std::string_view path) const override {
    return store_for(path).unknown_reason(path);
  }

 private:
  const FactStore& store_for(std::string_view path) const {
    const bool own = path.substr(0, path.find('.')) == ns_;
    return own ? own_ : finished_;
  }
  const FactStore& finished_;
  const FactStore& own_;
  std::string ns_;
};

// One plugin's run: its facts and diagnostics are its own until its wave ends.
struct PluginWork {
  plugin::LoadedPlugin* loaded = nullptr;
  PluginRun run;
  FactStore facts;
  std::vector<Diagnostic> diagnostics;
};

void run_plugin(const HostView& host, const FactStore& finished, const PluginOptions& options, PluginWork& work) {
  plugin::LoadedPlugin& loaded = *work.loaded;
  work.run.name = loaded.info.name;
  work.run.version = loaded.info.version;
  work.run.path = loaded.path;
  NamespacedWriter writer(work.facts, loaded.info.fact_namespace, work.diagnostics, work.run.name);
  WaveReader reader(finished, work.facts, loaded.info.fact_namespace);
  CollectContext context{host, reader, options};
  const auto started = std::chrono::steady_clock::now();
  try {
    loaded.plugin->collect(context, writer);
  } catch (const std::exception& e) {
    work.run.ok = false;
    work.run.error = e.what();
  } catch (...) {
    work.run.ok = false;
    work.run.error = "unknown exception";
  }
  work.run.milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
}

std::string failure(const PluginRun& run) { return "plugin " + run.name + " failed: " + run.error; }

// Plugins in waves, as indexes into `ordered` (what each needs first): a plugin's wave is one past the latest wave
// of the plugins it needs, so every plugin starts after all it needs have finished, and the plugins of a wave,
// needing none of each other, collect at once. On a live host much of a check's time is the plugins waiting on the
// kernel (config space, cpuid exits, xl): the pci plugin alone is about half of it, and the others fit beside it.
std::vector<std::vector<std::size_t>> waves_by_needs(const std::vector<plugin::LoadedPlugin*>& ordered) {
  std::map<std::string, std::size_t> wave_of_namespace;
  std::vector<std::vector<std::size_t>> waves;
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    std::size_t wave = 0;
    for (const std::string& need : ordered[i]->info.needs) {
      // What a plugin needs is placed before it (in a cycle, the later one waits for the earlier).
      if (auto it = wave_of_namespace.find(need); it != wave_of_namespace.end()) wave = std::max(wave, it->second + 1);
    }
    wave_of_namespace[ordered[i]->info.fact_namespace] = wave;
    if (waves.size() <= wave) waves.resize(wave + 1);
    waves[wave].push_back(i);
  }
  return waves;
}

}  // namespace

Collection collect_facts(const HostView& host, std::vector<plugin::LoadedPlugin>& plugins,
                         const PluginOptions& options, const std::map<std::string, std::string>& absent) {
  Collection collection;
  for (const auto& [fact_namespace, reason] : absent) collection.facts.set_unknown(fact_namespace, reason);
  const std::vector<plugin::LoadedPlugin*> ordered = plugin::order_by_needs(plugins);
  std::vector<PluginWork> work(ordered.size());
  for (std::size_t i = 0; i < ordered.size(); ++i) work[i].loaded = ordered[i];
  for (const std::vector<std::size_t>& wave : waves_by_needs(ordered)) {
    // The first plugin of a wave runs on this thread, the others each on a thread of their own; collection.facts
    // is only read until all have finished.
    std::vector<std::future<void>> others;
    for (std::size_t k = 1; k < wave.size(); ++k) {
      others.push_back(std::async(std::launch::async, run_plugin, std::cref(host), std::cref(collection.facts),
                                  std::cref(options), std::ref(work[wave[k]])));
    }
    if (!wave.empty()) run_plugin(host, collection.facts, options, work[wave.front()]);
    for (std::future<void>& other : others) other.get();
    for (std::size_t i : wave) {
      collection.facts.absorb(std::move(work[i].facts));
      if (!work[i].run.ok) collection.facts.set_unknown(work[i].loaded->info.fact_namespace, failure(work[i].run));
    }
  }
  // Diagnostics and runs in the plugins' order, whatever finished first: the report is the same on every run.
  for (PluginWork& done : work) {
    collection.diagnostics.insert(collection.diagnostics.end(), std::make_move_iterator(done.diagnostics.begin()),
                                  std::make_move_iterator(done.diagnostics.end()));
    if (!done.run.ok) collection.diagnostics.push_back({"error", done.run.name, failure(done.run)});
    collection.runs.push_back(std::move(done.run));
  }
  return collection;
}

}  // namespace ptdoctor::engine
