// `ptdoctor plan` and `fix` on every fixture host with every combination of its GPUs and USB controllers: never a
// crash (exit 70). In-process for the combinations, plus the real binary once per host for the exit code.
#include <gtest/gtest.h>

#include <cctype>

#include <algorithm>

#include "cli_runner.hpp"
#include "host/rooted_host_view.hpp"
#include "ptdoctor/json_fields.hpp"
#include "world.hpp"

namespace ptdoctor::testing {
namespace {

std::vector<std::string> bdfs(const FactStore& facts, const std::string& list) {
  std::vector<std::string> out;
  if (const Json* items = facts.find(list); items != nullptr && items->is_array()) {
    for (const Json& item : *items) {
      std::string bdf = string_field(item, "bdf");
      if (!bdf.empty()) out.push_back(bdf);
    }
  }
  return out;
}

// Every subset of the controllers (none, each alone, each pair, ..., all).
std::vector<std::vector<std::string>> subsets(const std::vector<std::string>& all) {
  std::vector<std::vector<std::string>> out;
  const std::size_t n = std::min<std::size_t>(all.size(), 10);  // 1024 subsets at most
  for (std::size_t mask = 0; mask < (std::size_t{1} << n); ++mask) {
    std::vector<std::string> subset;
    for (std::size_t i = 0; i < n; ++i) {
      if (mask & (std::size_t{1} << i)) subset.push_back(all[i]);
    }
    out.push_back(subset);
  }
  return out;
}

class PlanCombinations : public ::testing::TestWithParam<std::string> {};

TEST_P(PlanCombinations, EveryGpuAndUsbCombinationPlansWithoutACrash) {
  auto host = host::RootedHostView::open(fixture_root(GetParam()), host::HostViewOptions{});
  ASSERT_TRUE(host) << host.error().message;
  engine::Collection base = collect(**host);
  std::vector<std::string> gpus = bdfs(base.facts, "gpu.candidates");
  gpus.push_back("");  // no --gpu: the plugin's own choice
  const std::vector<std::string> controllers = bdfs(base.facts, "usb.controllers");
  std::size_t runs = 0;
  for (const std::string& gpu : gpus) {
    for (const std::vector<std::string>& usb : subsets(controllers)) {
      std::vector<std::string> gpu_option = gpu.empty() ? std::vector<std::string>{} : std::vector<std::string>{gpu};
      engine::Collection collected = collect(**host, gpu_option, usb);
      fix::Choices choices;
      choices.gpu = gpu;
      choices.usb = usb;
      choices.name = "win";
      choices.disks = {"phy:/dev/vg/win,hda,w"};
      choices.seed = 1;
      std::string shown = "--gpu '" + gpu + "' --usb";
      for (const std::string& u : usb) shown += " " + u;
      EXPECT_EQ(check_plan_fix(collected.facts, **host, choices), "") << GetParam() << ": " << shown;
      ++runs;
    }
  }
  EXPECT_GE(runs, 1u);
}

TEST_P(PlanCombinations, TheBinaryPlansAndDryRunsEveryGpuWithAllUsbControllers) {
  auto host = host::RootedHostView::open(fixture_root(GetParam()), host::HostViewOptions{});
  ASSERT_TRUE(host) << host.error().message;
  engine::Collection base = collect(**host);
  std::vector<std::string> usb_args;
  for (const std::string& bdf : bdfs(base.facts, "usb.controllers")) usb_args.insert(usb_args.end(), {"--usb", bdf});
  std::vector<std::string> gpus = bdfs(base.facts, "gpu.candidates");
  gpus.push_back("");
  for (const std::string& gpu : gpus) {
    for (const char* command : {"plan", "fix"}) {
      std::vector<std::string> args = {command, "--root", fixture_root(GetParam()), "--name", "win"};
      if (!gpu.empty()) args.insert(args.end(), {"--gpu", gpu});
      args.insert(args.end(), usb_args.begin(), usb_args.end());
      CliResult result = run_ptdoctor(args);
      EXPECT_NE(result.exit_code, kExitInternal) << GetParam() << ": ptdoctor " << command << " --gpu " << gpu << "\n"
                                     << result.err;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(EveryFixtureHost, PlanCombinations, ::testing::ValuesIn(world().fixtures),
                         fixture_test_name);

}  // namespace
}  // namespace ptdoctor::testing
