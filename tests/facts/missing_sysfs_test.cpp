// A dom0's sysfs with one attribute file of a passed device removed or emptied (as a kernel without that attribute,
// or a read racing a hot-unplug, leaves it): collect, check, plan and fix (dry run) still run. Once, removing
// `enable`, `device`, `class`, `modalias` or `reset_method` of a device made `ptdoctor plan` exit 70.
#include <gtest/gtest.h>

#include <cctype>

#include <filesystem>
#include <fstream>

#include "host/rooted_host_view.hpp"
#include "temp_tree.hpp"
#include "ptdoctor/json_fields.hpp"
#include "world.hpp"

namespace ptdoctor::testing {
namespace {

namespace fs = std::filesystem;

const char* const kAttributes[] = {"enable", "device", "vendor", "class", "modalias", "reset_method", "reset",
                                   "boot_vga", "config", "driver", "iommu_group", "subsystem_vendor"};

struct Passed {
  std::string bdf;
  bool gpu;  // else a USB controller
};

// The devices the planner works on: GPU candidates and USB controllers.
std::vector<Passed> passed_devices(const FactStore& facts) {
  std::vector<Passed> out;
  for (const char* list : {"gpu.candidates", "usb.controllers"}) {
    const Json* items = facts.find(list);
    if (items == nullptr || !items->is_array()) continue;
    for (const Json& item : *items) {
      std::string bdf = string_field(item, "bdf");
      if (!bdf.empty()) out.push_back({bdf, std::string(list) == "gpu.candidates"});
    }
  }
  return out;
}

class MissingSysfs : public ::testing::TestWithParam<std::string> {};

TEST_P(MissingSysfs, RemovingOrEmptyingOneAttributeOfAPassedDeviceNeverCrashes) {
  TempTree copy;
  const fs::path root = fs::path(copy.path()) / "host";
  std::error_code copied;
  fs::copy(fixture_root(GetParam()), root, fs::copy_options::recursive | fs::copy_options::copy_symlinks, copied);
  ASSERT_FALSE(copied) << GetParam() << " cannot be copied (" << copied.message() << ")";
  auto host = host::RootedHostView::open(root.string(), host::HostViewOptions{});
  ASSERT_TRUE(host) << host.error().message;
  engine::Collection base = collect(**host);
  const std::vector<Passed> devices = passed_devices(base.facts);
  if (devices.empty()) GTEST_SKIP() << GetParam() << " has no GPU or USB controller to pass";
  fix::Choices choices;
  choices.name = "win";
  choices.seed = 1;
  std::size_t runs = 0;
  for (const auto& [bdf, is_gpu] : devices) {
    // The sysfs device directory the link in /sys/bus/pci/devices points to.
    auto real = (*host)->resolve("/sys/bus/pci/devices/" + bdf);
    if (!real) continue;
    for (const char* attribute : kAttributes) {
      const fs::path file = fs::path((*host)->real_path(*real)) / attribute;
      std::error_code ec;
      if (!fs::exists(fs::symlink_status(file, ec))) continue;
      const fs::path aside = file.string() + ".ptdoctor-test-aside";
      for (bool empty : {false, true}) {
        if (empty && !fs::is_regular_file(fs::symlink_status(file, ec))) continue;
        fs::rename(file, aside);
        if (empty) std::ofstream(file.string()).close();
        auto host_now = host::RootedHostView::open(root.string(), host::HostViewOptions{});
        ASSERT_TRUE(host_now);
        const std::vector<std::string> gpu = is_gpu ? std::vector<std::string>{bdf} : std::vector<std::string>{};
        const std::vector<std::string> usb = is_gpu ? std::vector<std::string>{} : std::vector<std::string>{bdf};
        engine::Collection collected = collect(**host_now, gpu, usb);
        choices.gpu = is_gpu ? bdf : "";
        choices.usb = usb;
        EXPECT_EQ(check_plan_fix(collected.facts, **host_now, choices), "")
            << GetParam() << ": " << bdf << "/" << attribute << (empty ? " empty" : " removed");
        fs::remove(file);
        fs::rename(aside, file);
        ++runs;
      }
    }
  }
  EXPECT_GT(runs, 0u);
}

INSTANTIATE_TEST_SUITE_P(EveryFixtureHost, MissingSysfs, ::testing::ValuesIn(world().fixtures),
                         fixture_test_name);

}  // namespace
}  // namespace ptdoctor::testing
