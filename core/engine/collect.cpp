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
void record_failure(FactStore& facts, std::vector<Diagnostic>& diagnostics, const plugin::LoadedPlugin& loaded,
                    const PluginRun& run) {
  if (run.ok) return;
  std::string reason = "plugin " + run.name + " failed: " + run.error;
  facts.set_unknown(loaded.info.fact_namespace, reason);
  diagnostics.push_back({"error", run.name, reason});
}

// Whether `reader` reads the facts `writer` collects (names its namespace in `needs`).
bool builds_on(const plugin::LoadedPlugin& reader, const plugin::LoadedPlugin& writer) {
  const auto& needs = reader.info.needs;
  return std::find(needs.begin(), needs.end(), writer.info.fact_namespace) != needs.end();
}

// Which plugins collect on the helper thread, in order: those that read no other plugin's facts and that at most
// one other plugin builds on. The plugins several others build on (acpi and pci: three each; kernel: two) stay on
// the calling thread so that those can start as soon as possible, and the helper's share stays shorter than the
// calling thread's. With the shipped plugins: cpu (on the live host mostly the CPUID scan of the hypervisor
// leaves, 256 VM exits under a hypervisor: 2 ms on the benchmark VM of docs/performance.md) and xen (dpkg's
// status, the Xen tools' files and captures), beside acpi, pci (mostly config-space reads, each a VM exit too)
// and kernel. Measured there, 31 interleaved rounds twice: cpu alone beside 13.9 and 14.2 ms, cpu and xen 13.3
// and 13.2, cpu and kernel 13.6 and 13.6, all three 14.3 and 14.9 (the helper then outlasts pci and domu waits).
std::vector<plugin::LoadedPlugin*> helper_lane(const std::vector<plugin::LoadedPlugin*>& order) {
  std::vector<plugin::LoadedPlugin*> lane;
  for (plugin::LoadedPlugin* loaded : order) {
    const auto dependents = std::count_if(order.begin(), order.end(),
                                          [&](const plugin::LoadedPlugin* other) { return builds_on(*other, *loaded); });
    if (loaded->info.needs.empty() && dependents <= 1) lane.push_back(loaded);
  }
  return lane;
}

bool in_lane(const std::vector<plugin::LoadedPlugin*>& lane, const plugin::LoadedPlugin* loaded) {
  return std::find(lane.begin(), lane.end(), loaded) != lane.end();
}

struct BesideRun {
  RecordingWriter writer;
  PluginRun run;
};

}  // namespace

Collection collect_facts(const HostView& host, std::vector<plugin::LoadedPlugin>& plugins,
                         const PluginOptions& options, const std::map<std::string, std::string>& absent,
                         Turns turns, const HostView* beside) {
  Collection collection;
  for (const auto& [fact_namespace, reason] : absent) collection.facts.set_unknown(fact_namespace, reason);
  const std::vector<plugin::LoadedPlugin*> order = plugin::order_by_needs(plugins);
  const std::vector<plugin::LoadedPlugin*> lane =
      turns == Turns::kBeside ? helper_lane(order) : std::vector<plugin::LoadedPlugin*>();
  // The helper's own view when there is one; else both threads take turns on one. Taking turns, the calling
  // thread waited 0.1-1.7 ms of a live check for the helper's reads (dpkg's 0.8 MB status among them).
  std::optional<SerializedHostView> shared;
  if (!lane.empty() && beside == nullptr) shared.emplace(host);
  const HostView& view = shared ? static_cast<const HostView&>(*shared) : host;
  const HostView& helper_view = beside != nullptr ? *beside : view;
  // The helper's plugins read no facts (they need none), so they are given an empty store rather than the one
  // this thread writes; what they write is recorded and written into the store here, in their turn's place.
  const FactStore no_facts;
  std::future<std::vector<BesideRun>> helper;
  if (!lane.empty()) {
    helper = std::async(std::launch::async, [&, creator = current_cpu()] {
      leave_cpu(creator);
      std::vector<BesideRun> results(lane.size());
      for (std::size_t i = 0; i < lane.size(); ++i) {
        results[i].run = describe(*lane[i]);
        run_plugin(*lane[i], CollectContext{helper_view, no_facts, options}, results[i].writer, results[i].run);
      }
      return results;
    });
  }
  std::optional<std::vector<BesideRun>> results;  // once the helper is done
  // Writes helper plugin i's facts, and puts its run and diagnostics at the given places in the lists.
  auto replay = [&](std::size_t i, std::size_t runs_at, std::size_t diagnostics_at) {
    const plugin::LoadedPlugin& loaded = *lane[i];
    BesideRun& result = (*results)[i];
    std::vector<Diagnostic> diagnostics;
    NamespacedWriter writer(collection.facts, loaded.info.fact_namespace, diagnostics, result.run.name);
    result.writer.replay(writer);
    record_failure(collection.facts, diagnostics, loaded, result.run);
    const std::size_t inserted = diagnostics.size();
    collection.diagnostics.insert(collection.diagnostics.begin() + static_cast<std::ptrdiff_t>(diagnostics_at),
                                  std::make_move_iterator(diagnostics.begin()),
                                  std::make_move_iterator(diagnostics.end()));
    collection.runs.insert(collection.runs.begin() + static_cast<std::ptrdiff_t>(runs_at), std::move(result.run));
    return inserted;
  };
  // Helper plugins whose turn has come but whose facts are not written yet: index, and the sizes of the run and
  // diagnostic lists at their turn.
  struct Turn {
    std::size_t index, runs_at, diagnostics_at;
  };
  std::vector<Turn> waiting;
  auto catch_up = [&] {
    if (!results && helper.valid()) results = helper.get();
    std::size_t shift_runs = 0, shift_diagnostics = 0;  // what the earlier ones inserted before the later places
    for (const Turn& turn : waiting) {
      shift_diagnostics += replay(turn.index, turn.runs_at + shift_runs, turn.diagnostics_at + shift_diagnostics);
      ++shift_runs;
    }
    waiting.clear();
  };
  std::size_t next_in_lane = 0;
  for (plugin::LoadedPlugin* loaded : order) {
    if (in_lane(lane, loaded)) {
      if (results) replay(next_in_lane, collection.runs.size(), collection.diagnostics.size());
      else waiting.push_back({next_in_lane, collection.runs.size(), collection.diagnostics.size()});
      ++next_in_lane;
      continue;
    }
    // A plugin that builds on one of the helper's waits for the helper and for its facts to be written.
    const bool builds_on_helper = std::any_of(lane.begin(), lane.end(), [&](const plugin::LoadedPlugin* beside) {
      return builds_on(*loaded, *beside);
    });
    if (builds_on_helper) catch_up();
    PluginRun run = describe(*loaded);
    NamespacedWriter writer(collection.facts, loaded->info.fact_namespace, collection.diagnostics, run.name);
    run_plugin(*loaded, CollectContext{view, collection.facts, options}, writer, run);
    record_failure(collection.facts, collection.diagnostics, *loaded, run);
    collection.runs.push_back(std::move(run));
  }
  catch_up();
  return collection;
}

}  // namespace ptdoctor::engine
