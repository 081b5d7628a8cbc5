// How long the pci plugin takes to enumerate a large host, against `lspci -vvv` on the same tree.
// Prints Google Benchmark's table, then the ratio of the two mean wall times.
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

#include <benchmark/benchmark.h>

#include "plugin_harness.hpp"

namespace {

const std::string kHost = PTDOCTOR_BENCH_HOST;

bool ensure_host() {
  struct stat st {};
  if (::stat((kHost + "/sys/bus/pci/devices").c_str(), &st) == 0) return true;
  const std::string command = std::string(PTDOCTOR_PYTHON) + " " + PTDOCTOR_BENCH_GENERATOR + " " + kHost;
  std::cerr << "generating the benchmark host: " << command << "\n";
  return std::system(command.c_str()) == 0;
}

void pci_plugin(benchmark::State& state) {
  std::size_t devices = 0;
  for (auto _ : state) {
    auto collection = ptdoctor::testing::run_plugins({"pci"}, kHost);
    devices = ptdoctor::testing::fact(collection, "pci.devices").size();
  }
  state.counters["functions"] = static_cast<double>(devices);
}

void lspci_vvv(benchmark::State& state) {
  const std::string command = "lspci -vvv -A linux-sysfs -O sysfs.path=" + kHost + "/sys/bus/pci >/dev/null 2>&1";
  for (auto _ : state) {
    if (std::system(command.c_str()) != 0) state.SkipWithError("lspci failed (is pciutils installed?)");
  }
}

// Keeps the mean wall time per iteration of each benchmark to print the ratio.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type == Run::RT_Iteration && run.iterations > 0) {
        seconds_[run.run_name.function_name] = run.real_accumulated_time / static_cast<double>(run.iterations);
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  std::map<std::string, double> seconds_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (!ensure_host()) {
    std::cerr << "cannot generate " << kHost << "\n";
    return 1;
  }
  benchmark::RegisterBenchmark("pci_plugin", pci_plugin)->Unit(benchmark::kMillisecond)->Iterations(3);
  benchmark::RegisterBenchmark("lspci_vvv", lspci_vvv)->Unit(benchmark::kMillisecond)->Iterations(3);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  const double plugin = reporter.seconds_["pci_plugin"], lspci = reporter.seconds_["lspci_vvv"];
  if (plugin > 0 && lspci > 0) {
    std::printf("pci plugin %.1f ms, lspci -vvv %.1f ms: the plugin takes %.2fx the time of lspci -vvv\n",
                plugin * 1e3, lspci * 1e3, plugin / lspci);
  }
  return 0;
}
