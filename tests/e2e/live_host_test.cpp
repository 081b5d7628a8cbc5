// The one test that looks at the machine it runs on, read-only: ptdoctor check on the live host.
#include <unistd.h>

#include <gtest/gtest.h>

#include "e2e_util.hpp"
#include "temp_tree.hpp"

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

TEST(LiveHost, TextReportExplainsEveryFailure) {
  auto result = run_ptdoctor({"check", "--no-color"});
  EXPECT_TRUE(result.exit_code >= 0 && result.exit_code <= 3);
  EXPECT_NE(result.out.find("erdict"), std::string::npos) << result.out;
}

TEST(LiveHost, RunsAsAnUnprivilegedUser) {
  if (::geteuid() != 0) GTEST_SKIP() << "already unprivileged: the other live tests cover it";
  if (::access("/usr/bin/setpriv", X_OK) != 0) GTEST_SKIP() << "setpriv (util-linux) not installed";
  auto probe = run_ptdoctor({"--version"}, {}, {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
  if (probe.exit_code != 0) GTEST_SKIP() << "the build tree is not readable by nobody: " << probe.err;
  auto result = run_ptdoctor({"check", "--format", "json"}, {},
                             {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
  EXPECT_TRUE(result.exit_code == 2 || result.exit_code == 3) << result.exit_code << "\n" << result.err;
  parse_json_output(result);
}

}  // namespace
}  // namespace ptdoctor::testing
