#include "engine/collect.hpp"

#include <algorithm>
#include <chrono>
#include <future>
#include <optional>

#include "engine/serialized_host_view.hpp"
#include "helper_thread.hpp"

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

// What a plugin on the helper thread writes, kept in order and written into the store in the plugin's turn, so
// that the facts, their provenance and the diagnostics come out as if it had run in line.
class RecordingWriter final : public FactWriter {
 public:
  void set(std::string_view relative_path, Json value, std::string_view source) override {
    calls_.push_back({Call::kSet, std::string(relative_path), std::move(value), std::string(source)});
  }
  void unknown(std::string_view relative_path, std::string_view reason) override {
    calls_.push_back({Call::kUnknown, std::string(relative_path), nullptr, std::string(reason)});
  }
  void diagnostic(std::string_view message) override {
    calls_.push_back({Call::kDiagnostic, {}, nullptr, std::string(message)});
  }
  void replay(FactWriter& out) {
    for (Call& call : calls_) {
      switch (call.kind) {
        case Call::kSet: out.set(call.path, std::move(call.value), call.text); break;
        case Call::kUnknown: out.unknown(call.path, call.text); break;
        case Call::kDiagnostic: out.diagnostic(call.text); break;
      }
    }
    calls_.clear();
  }

 private:
  struct Call {
    enum Kind { kSet, kUnknown, kDiagnostic } kind;
    std::string path;
    Json value;
    std::string text;  // source, reason or message
  };
  std::vector<Call> calls_;
};

PluginRun describe(const plugin::LoadedPlugin& loaded) {
  PluginRun run;
  run.name = loaded.info.name;
  run.version = loaded.info.version;
  run.path = loaded.path;
  return run;
}

// One plugin's collect(), timed; an exception makes the run an error run.
void run_plugin(plugin::LoadedPlugin& loaded, const CollectContext& context, FactWriter& writer, PluginRun& run) {
  const auto started = std::chrono::steady_clock::now();
  try {
    loaded.plugin->collect(context, writer);
  } catch (const std::exception& e) {
    run.ok = false;
    run.error = e.what();
  } catch (...) {
    run.ok = false;
    run.error = "unknown exception";
  }
  run.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
}

// A failed plugin's namespace is unknown with the error as the reason, and the error is a diagnostic.
void record_failure(Collection& collection, const plugin::LoadedPlugin& loaded, const PluginRun& run) {
  if (run.ok) return;
  std::string reason = "plugin " + run.name + " failed: " + run.error;
  collection.facts.set_unknown(loaded.info.fact_namespace, reason);
  collection.diagnostics.push_back({"error", run.name, reason});
}

// A plugin that reads no other plugin's facts and whose facts no other plugin reads (cpu: CPUID, /proc/cpuinfo,
// MSRs) can collect on a helper thread beside the others. On the live host most of the cpu plugin's time is the
// CPUID scan of the hypervisor leaves (256 leaves, each a VM exit under a hypervisor: 2 ms on the benchmark VM of
// docs/performance.md), during which the main thread can read the PCI functions.
bool collects_beside(const plugin::LoadedPlugin& candidate, const std::vector<plugin::LoadedPlugin*>& order) {
  if (!candidate.info.needs.empty()) return false;
  return std::none_of(order.begin(), order.end(), [&](const plugin::LoadedPlugin* other) {
    const auto& needs = other->info.needs;
    return std::find(needs.begin(), needs.end(), candidate.info.fact_namespace) != needs.end();
  });
}

struct BesideRun {
  RecordingWriter writer;
  PluginRun run;
};

}  // namespace

Collection collect_facts(const HostView& host, std::vector<plugin::LoadedPlugin>& plugins,
                         const PluginOptions& options, const std::map<std::string, std::string>& absent,
                         Turns turns) {
  Collection collection;
  for (const auto& [fact_namespace, reason] : absent) collection.facts.set_unknown(fact_namespace, reason);
  const std::vector<plugin::LoadedPlugin*> order = plugin::order_by_needs(plugins);
  // At most one plugin beside the others: the first that may (the helper thread is one more CPU, not a pool).
  plugin::LoadedPlugin* beside = nullptr;
  for (plugin::LoadedPlugin* loaded : order) {
    if (turns == Turns::kBeside && collects_beside(*loaded, order)) {
      beside = loaded;
      break;
    }
  }
  std::optional<SerializedHostView> shared;
  if (beside) shared.emplace(host);
  const HostView& view = shared ? static_cast<const HostView&>(*shared) : host;
  // The plugin beside reads no facts (it needs none), so it is given an empty store rather than the one the main
  // thread writes.
  const FactStore no_facts;
  std::future<BesideRun> beside_result;
  if (beside) {
    beside_result = std::async(std::launch::async, [&, creator = current_cpu()] {
      leave_cpu(creator);
      BesideRun result;
      result.run = describe(*beside);
      run_plugin(*beside, CollectContext{view, no_facts, options}, result.writer, result.run);
      return result;
    });
  }
  std::size_t beside_runs_at = 0, beside_diagnostics_at = 0;
  for (plugin::LoadedPlugin* loaded : order) {
    if (loaded == beside) {  // its turn: where its run and diagnostics go once it is done
      beside_runs_at = collection.runs.size();
      beside_diagnostics_at = collection.diagnostics.size();
      continue;
    }
    PluginRun run = describe(*loaded);
    NamespacedWriter writer(collection.facts, loaded->info.fact_namespace, collection.diagnostics, run.name);
    run_plugin(*loaded, CollectContext{view, collection.facts, options}, writer, run);
    record_failure(collection, *loaded, run);
    collection.runs.push_back(std::move(run));
  }
  if (beside) {
    BesideRun result = beside_result.get();
    std::vector<Diagnostic> diagnostics;
    NamespacedWriter writer(collection.facts, beside->info.fact_namespace, diagnostics, result.run.name);
    result.writer.replay(writer);
    if (!result.run.ok) {
      std::string reason = "plugin " + result.run.name + " failed: " + result.run.error;
      collection.facts.set_unknown(beside->info.fact_namespace, reason);
      diagnostics.push_back({"error", result.run.name, reason});
    }
    collection.diagnostics.insert(collection.diagnostics.begin() + static_cast<std::ptrdiff_t>(beside_diagnostics_at),
                                  std::make_move_iterator(diagnostics.begin()),
                                  std::make_move_iterator(diagnostics.end()));
    collection.runs.insert(collection.runs.begin() + static_cast<std::ptrdiff_t>(beside_runs_at),
                           std::move(result.run));
  }
  return collection;
}

}  // namespace ptdoctor::engine
