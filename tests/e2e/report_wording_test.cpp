// What the reports say on real fixture hosts (UX review findings 16, 21, 29 and 31): one finding for the four
// functions of an EHCI group with one pci= line, the target GPU as the subject of the rules about it, a skip that
// says why, DMAR named as such when Xen renamed it, the facts left out of the JSON on request.
#include <set>

#include <gtest/gtest.h>

#include "e2e_util.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

const std::vector<std::string> kGuideWithUsb = {"--root", fixture_host("guide-ich10"), "--gpu", "08:00.0", "--usb",
                                               "00:1d.7"};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

TEST(ReportWording, TheFourFunctionsOfOneSharedRmrrAreOneFindingWithOnePciLine) {
  CliResult text = run_ptdoctor(with({"check", "--no-color"}, kGuideWithUsb));
  ASSERT_EQ(text.exit_code, 1) << text.err;
  const std::string pci_line = "pci = [ '0000:00:1d.0,rdm_policy=relaxed', '0000:00:1d.1,rdm_policy=relaxed', "
                               "'0000:00:1d.2,rdm_policy=relaxed', '0000:00:1d.7,rdm_policy=relaxed' ]";
  // Wrapping never splits a code span, so the line is whole: once under "What to do first", once in the details.
  EXPECT_EQ(occurrences(text.out, pci_line), 2u) << text.out;
  EXPECT_EQ(occurrences(text.out, "Firmware keeps a region (RMRR) for USB legacy keyboard emulation"), 1u);
  EXPECT_NE(text.out.find("fails for 0000:00:1d.0, 0000:00:1d.1, 0000:00:1d.2 and 0000:00:1d.7"), std::string::npos)
      << text.out;
  // The JSON keeps one result per function, each with its subject.
  std::set<std::string> failed;
  for (const Json& result : results_for(check_json(kGuideWithUsb), "usb.rmrr-shared")) {
    if (result["status"] == "fail") failed.insert(result["subject"].get<std::string>());
  }
  EXPECT_EQ(failed, (std::set<std::string>{"0000:00:1d.0", "0000:00:1d.1", "0000:00:1d.2", "0000:00:1d.7"}));
}

TEST(ReportWording, EveryResultAboutTheTargetGpuHasItAsSubject) {
  Json report = check_json({"--root", fixture_host("dual-gpu")});
  ASSERT_EQ(report["facts"]["gpu"]["target"], "0000:03:00.0");
  std::set<std::string> about_target;
  for (const Json& result : report["results"]) {
    if (result["subject"] == "0000:03:00.0") about_target.insert(result["rule"].get<std::string>());
  }
  for (const char* rule : {"gpu.target-chosen", "gpu.target-not-boot-gpu", "gpu.pciback-ready", "gpu.flr",
                           "gpu.isolation-peers", "gpu.large-bars"}) {
    EXPECT_TRUE(about_target.count(rule)) << rule;
  }
  // The address once: "Target GPU: the only GPU that is not the boot GPU: 0000:03:00.0 (...)".
  std::string chosen = results_for(report, "gpu.target-chosen").front()["message"];
  EXPECT_EQ(occurrences(chosen, "0000:03:00.0"), 1u) << chosen;
  // Without a GPU the subject is null, never "?".
  for (const Json& result : check_json({"--root", fixture_host("empty")})["results"]) {
    if (result["rule"].get<std::string>().rfind("gpu.", 0) == 0) {
      EXPECT_TRUE(result["subject"].is_null()) << result;
    }
  }
}

TEST(ReportWording, SkipsSayWhyAndNoUsbMeansNoUsbJudged) {
  Json report = check_json({"--root", fixture_host("x58-xen-default")});
  for (const Json& result : report["results"]) {
    if (result["status"] != "skip") continue;
    EXPECT_EQ(result["message"].get<std::string>().find("condition is false"), std::string::npos) << result;
  }
  ASSERT_EQ(results_for(report, "usb.selection-valid").size(), 1u);
  EXPECT_EQ(status_of(report, "usb.selection-valid"), "skip");
  EXPECT_EQ(results_for(report, "usb.selection-valid").front()["message"], "No --usb given");
  // With a --usb address that is no USB controller the rule judges it.
  EXPECT_EQ(status_of(check_json({"--root", fixture_host("x58-xen-default"), "--usb", "00:00.0"}),
                      "usb.selection-valid"),
            "fail");
}

TEST(ReportWording, ATableXenRenamedIsCalledTheDmarTable) {
  Json report = check_json({"--root", fixture_host("guide-ich10")});
  std::string intact = results_for(report, "iommu.dmar-intact").front()["message"];
  EXPECT_EQ(intact, "/sys/firmware/acpi/tables/RMAD (the DMAR table, renamed RMAD by Xen for dom0) parses cleanly "
                    "and its checksum is right");
}

TEST(ReportWording, NoFactsLeavesTheFactTreeOutOfTheJson) {
  CliResult full = run_ptdoctor({"check", "--root", fixture_host("guide-ich10"), "--format", "json"});
  CliResult lean = run_ptdoctor({"check", "--root", fixture_host("guide-ich10"), "--format", "json", "--no-facts"});
  ASSERT_EQ(full.exit_code, lean.exit_code) << lean.err;
  Json document = parse_json_output(lean);
  EXPECT_FALSE(document.contains("facts"));
  EXPECT_EQ(document["results"], parse_json_output(full)["results"]);
  EXPECT_LT(lean.out.size() + parse_json_output(full)["facts"].dump().size(), full.out.size() + 1);
  EXPECT_EQ(schema_problems(lean.out), "");
}

}  // namespace
}  // namespace ptdoctor::testing
