// The one test that looks at the machine it runs on, read-only: ptdoctor check on the live host.
#include <unistd.h>

#include <gtest/gtest.h>

#include "e2e_util.hpp"
#include "temp_tree.hpp"
#include "unprivileged.hpp"

namespace ptdoctor::testing {

std::string schema_problems(const std::string& json_text) {
  TempTree tree;
  std::string document = tree.write("/report.json", json_text);
  std::string script = tree.write(
      "/validate.py",
      "import json, sys, jsonschema\n"
      "schema = json.load(open(sys.argv[1]))\n"
      "doc = json.load(open(sys.argv[2]))\n"
      "cls = jsonschema.validators.validator_for(schema)\n"
      "errors = sorted(cls(schema).iter_errors(doc), key=str)\n"
      "print('\\n'.join(e.message + ' at ' + '/'.join(map(str, e.path)) for e in errors[:10]))\n"
      "sys.exit(1 if errors else 0)\n");
  std::string out = tree.at("/out.txt");
  std::string command = "python3 " + script + " " + PTDOCTOR_SCHEMA + " " + document + " > " + out + " 2>&1";
  int rc = std::system(command.c_str());
  return rc == 0 ? "" : "schema validation failed: " + tree.read("/out.txt");
}

namespace {

TEST(LiveHost, CheckJudgesThisMachineWithoutCrashing) {
  auto result = run_ptdoctor({"check", "--format", "json"});
  // This is a CI VM (no Xen, usually no IOMMU and no VT-x visible): not ready or cannot judge, never a crash.
  EXPECT_TRUE(result.exit_code >= 0 && result.exit_code <= 3) << result.exit_code << "\n" << result.err;
  Json report = parse_json_output(result);
  EXPECT_EQ(report.value("exit_code", -1), result.exit_code);
  EXPECT_EQ(schema_problems(result.out), "");
}

// Every failed blocker or warning of the JSON report appears in the text report with its why and its fixes under
// it (the same machine, so the same results).
TEST(LiveHost, TextReportExplainsEveryFailure) {
  auto text = run_ptdoctor({"check", "--no-color"});
  Json report = parse_json_output(run_ptdoctor({"check", "--format", "json"}));
  EXPECT_EQ(text.exit_code, report.value("exit_code", -1));
  int failures = 0;
  for (const Json& result : report["results"]) {
    if (result.value("status", "") != "fail" || result.value("severity", "") == "info") continue;
    ++failures;
    std::string id = result.value("rule", "");
    std::size_t at = text.out.find(" " + id + " ");
    ASSERT_NE(at, std::string::npos) << id << " is not in the text report:\n" << text.out;
    // The result's block ends where a line is indented by two spaces or fewer: the next result or topic.
    std::size_t end = text.out.find('\n', at);
    while (end != std::string::npos) {
      std::size_t indent = text.out.find_first_not_of(' ', end + 1);
      if (indent == std::string::npos || indent - (end + 1) <= 2) break;
      end = text.out.find('\n', end + 1);
    }
    std::string block = text.out.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (!result.value("why", "").empty()) {
      EXPECT_NE(block.find("why:"), std::string::npos) << block;
    }
    if (!result["fixes"].empty()) {
      EXPECT_NE(block.find("fix:"), std::string::npos) << block;
    }
  }
  EXPECT_GT(failures, 0) << "this CI machine has no Xen: at least xen.running fails";
}

TEST(LiveHost, RunsAsAnUnprivilegedUser) {
  // As nobody even in CI, which runs as root (tests/support/unprivileged.hpp): the reads root alone may do become
  // unknown with a reason, so the verdict is "cannot judge" or "not ready", never a crash or "ready".
  auto result = run_ptdoctor_unprivileged({"check", "--format", "json"});
  EXPECT_TRUE(result.exit_code == 2 || result.exit_code == 3) << result.exit_code << "\n" << result.err;
  Json report = parse_json_output(result);
  EXPECT_EQ(report.value("exit_code", -1), result.exit_code);
}

}  // namespace
}  // namespace ptdoctor::testing
