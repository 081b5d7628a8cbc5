// Expert scenarios 2, 3, 4, 5 and 9 of the domain audit on their fixture hosts (tests/fixtures/hostgen/
// device_scenarios.py): the verdict, the failing rule ids, and the fix text or plan steps an expert expects.
#include <gtest/gtest.h>

#include <set>

#include "e2e_util.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

Json run_json(std::vector<std::string> args) { return parse_json_output(run_ptdoctor(args)); }

Json check(const std::string& host, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"check", "--format", "json", "--root", fixture_host(host)};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_json(args);
}

std::set<std::string> failing(const Json& report) {
  std::set<std::string> ids;
  for (const Json& r : report["results"]) {
    if (r["status"] == "fail" && r["severity"] != "info") ids.insert(r["rule"].get<std::string>());
  }
  return ids;
}

Json first(const Json& report, const std::string& rule) {
  auto found = results_for(report, rule);
  return found.empty() ? Json::object() : found.front();
}

std::string all_fix_text(const Json& result) {
  std::string text;
  for (const Json& fix : result.value("fixes", Json::array())) {
    text += (fix.is_string() ? fix.get<std::string>() : fix.value("text", "")) + "\n";
  }
  return text;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Scenario 2: pciback loaded from /etc/modules with a modprobe.d hide list, no softdep, amdgpu from the initramfs.
TEST(DeviceScenario, DefeatedHideListIsABlockerWithTheSoftdepAndInitramfsFix) {
  Json report = check("hide-defeated");
  EXPECT_EQ(report["verdict"], "not-ready");
  EXPECT_TRUE(failing(report).count("gpu.pciback-ready"));
  Json ready = first(report, "gpu.pciback-ready");
  const std::string message = ready.value("message", "");
  EXPECT_TRUE(has(message, "hidden by xen-pciback's hide list, but amdgpu holds it")) << message;
  EXPECT_TRUE(has(message, "not assignable")) << message;
  const std::string fix = all_fix_text(ready);
  EXPECT_TRUE(has(fix, "softdep amdgpu pre: xen-pciback")) << fix;
  EXPECT_TRUE(has(fix, "/etc/initramfs-tools/modules")) << fix;
  EXPECT_EQ(report["facts"]["gpu"]["target_info"]["binding"]["state"], "hidden-but-held");
}

// The user's /etc/modprobe.d/xen-pciback.conf hides the GPU; modprobe reads it after ptdoctor's
// ptdoctor-xen-pciback.conf and the last hide= wins, so a planned hide= there would be replaced. The plan puts the
// whole list (the user's devices and the new USB controller) on the dom0 kernel line and says why.
TEST(DeviceScenario, AnotherModprobeHideListMovesThePlannedListToTheDom0Line) {
  Json plan = run_json({"plan", "--format", "json", "--root", fixture_host("hide-defeated"), "--usb", "00:14.0"});
  EXPECT_TRUE(has(plan["warnings"].dump(), "/etc/modprobe.d/xen-pciback.conf sets xen-pciback's hide= too"))
      << plan["warnings"].dump();
  bool on_the_line = false;
  for (const Json& step : plan["steps"]) {
    const std::string content = step.value("content", "");
    if (step.value("id", "") == "grub.defaults") {
      on_the_line = has(content, "xen-pciback.hide=(0000:01:00.0)(0000:01:00.1)(0000:00:14.0)");
    }
    if (step.value("id", "") == "pciback.modprobe") {
      EXPECT_FALSE(has(content, "hide=")) << content;       // it would lose to the user's file
      EXPECT_TRUE(has(content, "softdep")) << content;      // the load order still matters
    }
  }
  EXPECT_TRUE(on_the_line) << plan["steps"].dump();
}

// Scenario 3: the KVM habit, pci-stub.ids on the dom0 line.
TEST(DeviceScenario, PciStubIsNotAssignableAndThePlanMakesBothFunctionsAssignable) {
  Json report = check("kvm-habit");
  EXPECT_EQ(report["verdict"], "not-ready");
  EXPECT_TRUE(failing(report).count("gpu.pciback-ready"));
  Json ready = first(report, "gpu.pciback-ready");
  EXPECT_TRUE(has(ready.value("message", ""), "bound to pci-stub")) << ready.dump();
  // For both functions: the audio function is not assignable either (scenario 3). The assignable-add fix names
  // it, and the hide-list fix hides both.
  std::string assign, hide;
  for (const Json& fix : ready.value("fixes", Json::array())) {
    const std::string text = fix.value("text", "");
    if (has(text, "xl pci-assignable-add")) assign = text;
    if (has(text, "xen-pciback.hide=")) hide = text;
  }
  EXPECT_TRUE(has(assign, "xl pci-assignable-add 0000:01:00.0")) << ready.dump();
  EXPECT_TRUE(has(assign, "0000:01:00.1")) << assign;
  EXPECT_TRUE(has(assign, "Remove pci-stub.ids=")) << assign;
  EXPECT_TRUE(has(hide, "(0000:01:00.0)(0000:01:00.1)")) << hide;
  // Nothing counts pci-stub as prepared any more.
  EXPECT_EQ(report["facts"]["pci"]["pciback"], Json::array());
  EXPECT_NE(status_of(report, "gpu.slot-functions-together"), "pass");

  Json plan = run_json({"plan", "--format", "json", "--root", fixture_host("kvm-habit")});
  std::set<std::string> commands;
  for (const Json& step : plan["steps"]) {
    if (step["kind"] != "command") continue;
    std::string line;
    for (const Json& word : step["argv"]) line += (line.empty() ? "" : " ") + word.get<std::string>();
    commands.insert(line);
    if (step["argv"][1] == "pci-assignable-add") {
      EXPECT_EQ(step["undo_argv"], Json::array({"xl", "pci-assignable-remove", "-r", step["argv"][2]}));
    }
  }
  EXPECT_TRUE(commands.count("xl pci-assignable-add 0000:01:00.0"));
  EXPECT_TRUE(commands.count("xl pci-assignable-add 0000:01:00.1"));
  // pci-stub.ids= still claims both at the next boot, before xen-pciback: one manual step per function names the
  // id to remove; the rule's by-hand `xl pci-assignable-add` text is not repeated (the plan runs it).
  std::string manual;
  for (const Json& step : plan["steps"]) {
    if (step["kind"] == "manual") manual += step.value("text", "") + "\n";
  }
  EXPECT_TRUE(has(manual, "0000:01:00.0 is bound to pci-stub, which claims it at boot before xen-pciback: remove "
                          "10de:2484 from pci-stub.ids=")) << manual;
  EXPECT_TRUE(has(manual, "remove 10de:228b from pci-stub.ids=")) << manual;
  EXPECT_FALSE(has(manual, "xl pci-assignable-add")) << manual;
}

// Finding 7: never unbind a graphics driver live.
TEST(DeviceScenario, PlanDoesNotRunPciAssignableAddOnACardAmdgpuDrives) {
  Json plan = run_json({"plan", "--format", "json", "--root", fixture_host("hide-defeated")});
  for (const Json& step : plan["steps"]) {
    if (step["kind"] == "command") {
      EXPECT_NE(step["argv"][1], "pci-assignable-add") << step.dump();
    }
  }
  std::string notes = plan["notes"].dump();
  EXPECT_TRUE(has(notes, "0000:01:00.0 is not made assignable now: the graphics driver amdgpu drives it")) << notes;
}

// Scenario 4: an xHCI with its own RMRR below 2 GiB, guest memory 8192 MiB.
TEST(DeviceScenario, OwnRmrrBelowTheBoundaryGetsRelaxedPolicyWithAWarning) {
  Json plan = run_json({"plan", "--format", "json", "--root", fixture_host("usb-own-rmrr"), "--usb", "00:14.0",
                        "--name", "win", "--memory", "8192"});
  bool found = false;
  for (const Json& step : plan["steps"]) {
    if (step["id"] != "domu.config") continue;
    found = true;
    const std::string content = step.value("content", "");
    EXPECT_TRUE(has(content, "'0000:00:14.0,rdm_policy=relaxed'")) << content;
    // The GPU has no RDM: it stays strict.
    EXPECT_TRUE(has(content, "'0000:01:00.0'")) << content;
    const std::string warnings = step["warnings"].dump();
    EXPECT_TRUE(has(warnings, "RDM conflict at 0x7ae00000")) << warnings;
    EXPECT_TRUE(has(warnings, "rdm_mem_boundary")) << warnings;
    // Finding 17: a Windows guest's defaults (xl.cfg(5) viridian and stdvga; e1000 until PV drivers are in).
    EXPECT_TRUE(has(content, "viridian = 1")) << content;
    EXPECT_TRUE(has(content, "vga = \"stdvga\"")) << content;
    EXPECT_TRUE(has(content, "model=e1000")) << content;
    // Finding 16: this host has no xenbr0, and vif-bridge aborts without it.
    EXPECT_TRUE(has(warnings, "the bridge xenbr0 does not exist")) << warnings;
  }
  EXPECT_TRUE(found) << plan.dump();
  // A host with the bridge gets no such warning.
  Json bridged = run_json({"plan", "--format", "json", "--root", fixture_host("guide-domu-rmrr"), "--name", "win2"});
  bool config = false;
  for (const Json& step : bridged["steps"]) {
    if (step["id"] != "domu.config") continue;
    config = true;
    EXPECT_FALSE(has(step["warnings"].dump(), "does not exist")) << step["warnings"].dump();
  }
  EXPECT_TRUE(config) << bridged.dump();
}

// Scenario 5: Polaris without FLR and with NoSoftRst+, alone behind its root port.
TEST(DeviceScenario, PolarisWithoutAnyResetIsReadyWithResetWarnings) {
  Json report = check("polaris-no-reset");
  EXPECT_EQ(report["verdict"], "ready-with-warnings");
  EXPECT_EQ(failing(report), (std::set<std::string>{"gpu.amd-reset-bug", "gpu.flr"}));
  const std::string flr = first(report, "gpu.flr").value("message", "");
  EXPECT_TRUE(has(flr, "no reset possible at all under Xen")) << flr;
  // Function 0 lists "bus" (probed alone on its bus); the reset refuses it because function 1 shares the bus.
  EXPECT_EQ(report["facts"]["gpu"]["target_info"]["reset_methods"], Json::array({"bus"}));
  EXPECT_TRUE(has(flr, "since 0000:01:00.1 shares its bus")) << flr;
  Json peers = first(report, "gpu.bus-reset-peers");
  EXPECT_EQ(peers.value("status", ""), "pass");
  EXPECT_FALSE(has(peers.value("message", ""), "also resets")) << peers.dump();
  EXPECT_EQ(report["facts"]["gpu"]["target_info"]["pm_no_soft_reset"], true);
}

// Scenario 9: an empty REPLACE_DEFAULT replaces nothing.
TEST(DeviceScenario, EmptyReplaceVariableKeepsTheHideListOfLinuxDefault) {
  Json report = check("empty-replace");
  EXPECT_EQ(status_of(report, "kernel.pciback-hide-persisted"), "pass") << first(report, "kernel.pciback-hide-persisted");
  EXPECT_EQ(report["facts"]["kernel"]["grub"]["xen_dom0_pciback_hide"],
            Json::array({"0000:08:00.0", "0000:08:00.1"}));
  EXPECT_EQ(status_of(report, "gpu.pciback-ready"), "pass");
}

}  // namespace
}  // namespace ptdoctor::testing
