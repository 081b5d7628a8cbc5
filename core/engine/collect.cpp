#include "engine/collect.hpp"

#include <chrono>

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

}  // namespace

Collection collect_facts(const HostView& host, std::vector<plugin::LoadedPlugin>& plugins,
                         const PluginOptions& options, const std::map<std::string, std::string>& absent) {
  Collection collection;
  for (const auto& [fact_namespace, reason] : absent) collection.facts.set_unknown(fact_namespace, reason);
  for (plugin::LoadedPlugin* loaded : plugin::order_by_needs(plugins)) {
    PluginRun run;
    run.name = loaded->info.name;
    run.version = loaded->info.version;
    run.path = loaded->path;
    NamespacedWriter writer(collection.facts, loaded->info.fact_namespace, collection.diagnostics, run.name);
    CollectContext context{host, collection.facts, options};
    const auto started = std::chrono::steady_clock::now();
    try {
      loaded->plugin->collect(context, writer);
    } catch (const std::exception& e) {
      run.ok = false;
      run.error = e.what();
    } catch (...) {
      run.ok = false;
      run.error = "unknown exception";
    }
    run.milliseconds =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (!run.ok) {
      std::string reason = "plugin " + run.name + " failed: " + run.error;
      collection.facts.set_unknown(loaded->info.fact_namespace, reason);
      collection.diagnostics.push_back({"error", run.name, reason});
    }
    collection.runs.push_back(std::move(run));
  }
  return collection;
}

}  // namespace ptdoctor::engine
