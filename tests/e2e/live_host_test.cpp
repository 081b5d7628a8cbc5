// The one test that looks at the machine it runs on, read-only: ptdoctor check on the live host.
#include <unistd.h>

#include <algorithm>
#include <sstream>

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

// The block of the first result line of `id` ("  MARKER ID  message", not the numbered "What to do first"): that
// line and the lines under it indented by more than two spaces. Empty when no result line shows the id.
std::string result_block(const std::string& text, const std::string& id) {
  std::istringstream in(text);
  std::string line, block;
  bool inside = false;
  while (std::getline(in, line)) {
    std::size_t indent = line.find_first_not_of(' ');
    if (inside) {
      if (indent == std::string::npos || indent <= 2) break;
      block += "\n" + line;
      continue;
    }
    if (indent != 2) continue;
    std::size_t marker_end = line.find(' ', 2);
    if (marker_end == std::string::npos) continue;
    std::size_t at = line.find_first_not_of(' ', marker_end);
    if (at != std::string::npos && line.compare(at, id.size(), id) == 0 &&
        (at + id.size() == line.size() || line[at + id.size()] == ' ')) {
      inside = true;
      block = line;
    }
  }
  return block;
}

void expect_why_and_fix(const std::string& block, const Json& result) {
  if (!result.value("why", "").empty()) {
    EXPECT_NE(block.find("why:"), std::string::npos) << block;
  }
  if (!result["fixes"].empty()) {
    EXPECT_NE(block.find("fix:"), std::string::npos) << block;
  }
}

// Every failed blocker or warning of the JSON report can be found in the default text report (the same machine, so
// the same results): a cause with its why and fixes under it, or a consequence named under its cause, which has its
// why and fixes. With -v each one is shown in full, a consequence saying what it follows from.
TEST(LiveHost, TextReportExplainsEveryFailure) {
  auto text = run_ptdoctor({"check", "--no-color"});
  auto verbose = run_ptdoctor({"check", "--no-color", "-v"});
  Json report = parse_json_output(run_ptdoctor({"check", "--format", "json"}));
  EXPECT_EQ(text.exit_code, report.value("exit_code", -1));
  int failures = 0;
  for (const Json& result : report["results"]) {
    if (result.value("status", "") != "fail" || result.value("severity", "") == "info") continue;
    ++failures;
    std::string id = result.value("rule", "");
    std::string cause = result["caused_by"].is_string() ? result["caused_by"].get<std::string>() : "";
    if (cause.empty()) {
      std::string block = result_block(text.out, id);
      ASSERT_FALSE(block.empty()) << id << " is not in the text report:\n" << text.out;
      expect_why_and_fix(block, result);
    } else {
      std::string block = result_block(text.out, cause);
      ASSERT_FALSE(block.empty()) << id << "'s cause " << cause << " is not in the text report:\n" << text.out;
      std::size_t then = block.find("then:");
      ASSERT_NE(then, std::string::npos) << block;
      EXPECT_NE(block.find(id, then), std::string::npos) << id << " is not named under its cause:\n" << block;
      for (const Json& candidate : report["results"]) {
        if (candidate.value("rule", "") == cause && candidate.value("status", "") != "pass") {
          expect_why_and_fix(block, candidate);
          break;
        }
      }
    }
    std::string full = result_block(verbose.out, id);
    ASSERT_FALSE(full.empty()) << id << " is not in the -v report:\n" << verbose.out;
    expect_why_and_fix(full, result);
    if (!cause.empty()) {
      EXPECT_NE(full.find("follows from: " + cause), std::string::npos) << full;
    }
  }
  EXPECT_GT(failures, 0) << "this CI machine has no Xen: at least xen.running fails";
  // Issue 13: the answer comes first: the verdict within the first 15 lines.
  std::size_t verdict_at = text.out.find("\nVerdict: ");
  ASSERT_NE(verdict_at, std::string::npos) << text.out;
  EXPECT_LT(std::count(text.out.begin(), text.out.begin() + static_cast<long>(verdict_at), '\n'), 15) << text.out;
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
