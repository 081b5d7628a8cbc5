// `--pci-dump FILE` end to end: the option reaches the pci plugin, which reads PCI devices from an `lspci -xxx`
// dump instead of sysfs (a machine judged from a dump its owner saved). The dump is checked in: see data/README.md.
#include <gtest/gtest.h>

#include <string>

#include "e2e_util.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

std::string dump_file() { return source_path("tests/e2e/data/lspci-xxx-intel-modern.txt"); }

// An empty root has no sysfs: every device below comes from the dump.
TEST(PciDumpCli, FactsReadTheDevicesFromTheDumpInsteadOfSysfs) {
  TempTree empty;
  CliResult result = run_ptdoctor({"facts", "--root", empty.path(), "--pci-dump", dump_file()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  Json facts = parse_json_output(result)["facts"]["pci"];
  EXPECT_EQ(facts["source"], "dump:" + dump_file());
  EXPECT_EQ(facts["count"], 10);
  Json gpu;
  for (const Json& device : facts["devices"]) {
    if (device["bdf"] == "0000:01:00.0") gpu = device;
  }
  ASSERT_TRUE(gpu.is_object()) << facts.dump(1);
  EXPECT_EQ(gpu["vendor_id"], "0x1002");
  EXPECT_EQ(gpu["device_id"], "0x67df");
  EXPECT_EQ(gpu["class"], "0x0300");
  EXPECT_TRUE(gpu["driver"].is_null()) << "a dump names no driver";

  // The counter-case: the same empty root without the dump has no PCI devices at all.
  CliResult without = run_ptdoctor({"facts", "--root", empty.path()});
  ASSERT_EQ(without.exit_code, 0) << without.err;
  EXPECT_NE(parse_json_output(without)["facts"]["pci"].value("count", Json()), Json(10));
}

// The rules see the dump's devices: PCI devices read and the RX 580 found as the GPU to pass through.
TEST(PciDumpCli, CheckJudgesTheDumpsDevices) {
  TempTree empty;
  Json with = check_json({"--root", empty.path(), "--pci-dump", dump_file()});
  EXPECT_EQ(status_of(with, "pci.devices-read"), "pass") << with.dump(1).substr(0, 3000);
  EXPECT_EQ(status_of(with, "gpu.present"), "pass");
  Json without = check_json({"--root", empty.path()});
  EXPECT_NE(status_of(without, "pci.devices-read"), "pass");
}

}  // namespace
}  // namespace ptdoctor::testing
