#include "report_samples.hpp"

#include <string>

namespace ptdoctor::testing {

RuleResult make_result(std::string rule_id, Severity severity, RuleStatus status, std::string subject) {
  RuleResult result;
  result.rule_id = std::move(rule_id);
  result.title = "Title of " + result.rule_id;
  result.severity = severity;
  result.status = status;
  result.subject = std::move(subject);
  result.message = result.rule_id + " is " + to_string(status) + " (" + to_string(severity) + ")";
  result.why = "Why " + result.rule_id + " matters";
  result.fixes.push_back({"Fix " + result.rule_id + " by hand", nullptr});
  result.fixes.push_back({"Fix " + result.rule_id + " with the planner",
                          Json{{"generator", "grub-cmdline"}, {"add", "intel_iommu=on"}}});
  result.refs = {"REFERENCE.md section 4"};
  result.facts = ResultFacts(Json{{result.rule_id + ".fact", true}});
  result.source = "rules/test.yaml:1";
  return result;
}

RunReport finish(RunReport report) {
  report.summary = summarize(report.results);
  report.verdict = compute_verdict(report.results, report.plugin_problems);
  return report;
}

namespace {

RunReport base_report() {
  RunReport report;
  report.tool_version = "0.1.0";
  report.generated_at = "2026-11-24T02:00:00Z";
  report.host = {"/", "live", "testbox", "6.1.0-18-amd64"};
  report.plugins.push_back({"cpu", "0.1.0", "/usr/lib/ptdoctor/plugins/ptdoctor-cpu.so", true, "", 1.5});
  return report;
}

}  // namespace

RunReport caused_report() {
  RunReport report = base_report();
  auto add = [&report](const std::string& id, Severity severity, RuleStatus status, std::string follows = "",
                       std::string caused_by = "", std::string subject = "") {
    RuleResult result = make_result(id, severity, status, std::move(subject));
    result.follows = std::move(follows);
    result.caused_by = std::move(caused_by);
    report.results.push_back(std::move(result));
  };
  add("cpu.not-a-guest", Severity::kBlocker, RuleStatus::kFail);
  add("cpu.vmx", Severity::kBlocker, RuleStatus::kPass);
  add("kernel.dom0-support", Severity::kBlocker, RuleStatus::kFail, "cpu.not-a-guest", "cpu.not-a-guest");
  add("kernel.pciback-loaded", Severity::kBlocker, RuleStatus::kFail, "kernel.dom0-support", "cpu.not-a-guest");
  add("kernel.guide-option", Severity::kInfo, RuleStatus::kFail);
  add("kernel.other-guide-option", Severity::kInfo, RuleStatus::kUnknown);
  add("xen.running", Severity::kBlocker, RuleStatus::kFail, "cpu.not-a-guest", "cpu.not-a-guest");
  add("gpu.flr", Severity::kWarning, RuleStatus::kFail, "", "", "0000:01:00.0");
  add("gpu.target-chosen", Severity::kInfo, RuleStatus::kPass);
  report.set_facts(Json::parse(R"({
    "pci": {
      "devices": [
        {"bdf": "0000:00:00.0", "class": "Host bridge", "vendor_name": "Intel", "device_name": "440FX"},
        {"bdf": "0000:00:01.0", "class": "PCI bridge", "vendor_name": "Red Hat", "device_name": "QEMU PCIe Root port"},
        {"bdf": "0000:01:00.0", "class": "VGA compatible controller", "vendor_name": "AMD", "device_name": "Radeon <RX> 580",
         "parent_bridge": "0000:00:01.0", "driver": "amdgpu"},
        {"bdf": "0000:01:00.1", "class": "Audio device", "vendor_name": "AMD", "device_name": "HDMI Audio",
         "parent_bridge": "0000:00:01.0"}
      ],
      "iommu_groups": {"0": ["0000:00:00.0"], "1": ["0000:00:01.0", "0000:01:00.0", "0000:01:00.1"]}
    },
    "gpu": {"target": "0000:01:00.0", "target_info": {"functions": ["0000:01:00.0", "0000:01:00.1"]}}
  })"));
  return finish(report);
}

RunReport full_report() {
  RunReport report = base_report();
  const Severity severities[] = {Severity::kBlocker, Severity::kWarning, Severity::kInfo};
  const RuleStatus statuses[] = {RuleStatus::kPass, RuleStatus::kFail, RuleStatus::kSkip, RuleStatus::kUnknown,
                                 RuleStatus::kError};
  const char* severity_names[] = {"blocker", "warning", "info"};
  for (int s = 0; s < 3; ++s) {
    for (RuleStatus status : statuses) {
      report.results.push_back(make_result(std::string("cpu.") + severity_names[s] + "-" + to_string(status),
                                           severities[s], status));
    }
  }
  report.results.push_back(make_result("usb.controller-isolated", Severity::kWarning, RuleStatus::kFail,
                                       "0000:00:14.0"));
  report.results.push_back(make_result("gpu.flr", Severity::kBlocker, RuleStatus::kPass, "0000:08:00.0"));
  report.results.push_back(make_result("gpu.flr", Severity::kBlocker, RuleStatus::kFail, "0000:09:00.0"));
  report.results.push_back(make_result("acpi.dmar-valid", Severity::kBlocker, RuleStatus::kPass));
  report.results.push_back(make_result("iommu.enabled", Severity::kBlocker, RuleStatus::kPass));
  report.results.push_back(make_result("kernel.pciback", Severity::kBlocker, RuleStatus::kPass));
  report.results.push_back(make_result("xen.version", Severity::kWarning, RuleStatus::kPass));
  report.results.push_back(make_result("pci.acs", Severity::kInfo, RuleStatus::kPass));
  report.results.push_back(make_result("zzcustom.site-rule", Severity::kWarning, RuleStatus::kFail));
  RuleResult& unknown = report.results[3];  // cpu.blocker-unknown
  unknown.facts = ResultFacts(Json{{"cpu.msr.vmx_locked", nullptr}, {"cpu.vmx", true}, {"xen.version", nullptr}});
  report.unknown_reasons = {{"cpu.msr", "not root: /dev/cpu/0/msr needs root"}};
  report.provenance = {{"cpu.vmx", "cpuid leaf 0x1 ecx bit 5"}};
  report.set_facts(Json{{"cpu", {{"vmx", true}, {"msr", nullptr}}}});
  report.plugins.push_back({"acpi", "0.1.0", "/usr/lib/ptdoctor/plugins/ptdoctor-acpi.so", false,
                            "ptdoctor-acpi.so: ABI 1 but this ptdoctor speaks ABI 2; reinstall ptdoctor", 0});
  report.diagnostics.push_back({"error", "acpi", "/sys/firmware/acpi/tables/DMAR: offset 0x30: zero-length subtable"});
  report.diagnostics.push_back({"warning", "pci", "0000:00:1f.3: config space truncated at 64 bytes"});
  report.diagnostics.push_back({"info", "core", "plugin cpu took 1.5 ms"});
  return finish(report);
}

RunReport empty_report() {
  RunReport report = base_report();
  report.plugins.clear();
  report.host = {"/srv/hosts/empty", "root", "", ""};
  return finish(report);
}

RunReport hostile_report() {
  RunReport report = base_report();
  report.tool_version = kHostile;
  report.generated_at = kHostile;
  report.host = {kHostile, "root", kHostile, kHostile};
  const RuleStatus statuses[] = {RuleStatus::kPass, RuleStatus::kFail, RuleStatus::kSkip, RuleStatus::kUnknown,
                                 RuleStatus::kError};
  for (RuleStatus status : statuses) {
    RuleResult result = make_result(std::string("gpu.") + to_string(status), Severity::kBlocker, status, kHostile);
    result.title = kHostile;
    result.message = kHostile;
    result.why = kHostile;
    result.fixes = {{kHostile, Json{{"generator", kHostile}}}};
    result.refs = {kHostile};
    result.facts = ResultFacts(Json{{kHostile, kHostile}});
    result.source = kHostile;
    report.results.push_back(result);
  }
  report.results.push_back(make_result(kHostile, Severity::kWarning, RuleStatus::kFail, kHostile));
  report.plugins.push_back({kHostile, kHostile, kHostile, false, kHostile, 0});
  report.plugin_problems.push_back({kHostile, PluginProblemKind::kRefused, kHostile});
  report.diagnostics.push_back({kHostile, kHostile, kHostile});
  report.unknown_reasons = {{kHostile, kHostile}};
  report.provenance = {{kHostile, kHostile}};
  report.set_facts(Json{{kHostile, {{kHostile, kHostile}}}});
  return finish(report);
}

}  // namespace ptdoctor::testing
