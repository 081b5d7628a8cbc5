// End to end: `ptdoctor check --spec` on the guide's machine and on an i7-2600K build gives the expert's answer.
#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "ptdoctor/json.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::spec {
namespace {

using ptdoctor::testing::run_ptdoctor;
using ptdoctor::testing::source_path;

ptdoctor::testing::CliResult check_spec(const std::string& parts, const std::string& format = "text") {
  return run_ptdoctor({"check", "--no-default-plugins", "--rules", source_path("tests/spec/rules"), "--spec",
                       source_path("tests/spec/parts/" + parts), "--format", format, "--no-color"});
}

TEST(SpecCli, I7_2600KIsNotReadyBecauseItHasNoVtd) {
  auto result = check_spec("i7-2600k.yaml");
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_NE(result.out.find("the Core i7-2600K has no VT-d"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("NOT READY"), std::string::npos) << result.out;
}

TEST(SpecCli, GuideMachineCannotBeJudgedWithoutItsFirmware) {
  auto result = check_spec("guide-machine.yaml", "json");
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  Json report = Json::parse(result.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << result.out;
  EXPECT_EQ(report["host"]["source"], "spec");
  EXPECT_NE(result.out.find("depends on firmware settings: take a snapshot on the machine"), std::string::npos);
  EXPECT_EQ(report["facts"]["gpu"]["candidates"][0]["device_id"], "0x6718");
}

TEST(SpecCli, SpecExcludesRootAndBadListsAreUsageErrors) {
  auto both = run_ptdoctor({"check", "--root", "/", "--spec", source_path("tests/spec/parts/guide-machine.yaml")});
  EXPECT_EQ(both.exit_code, 64);
  ptdoctor::testing::TempTree tree;
  auto bad = run_ptdoctor({"check", "--no-default-plugins", "--spec", tree.write("/p.yaml", "cpu: x\nram: 8G\n")});
  EXPECT_EQ(bad.exit_code, 64);
  EXPECT_NE(bad.err.find("p.yaml:2:1: unknown key 'ram'"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace ptdoctor::spec
