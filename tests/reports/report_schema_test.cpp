// Validates rendered JSON against docs/report.schema.json with python3-jsonschema, so the schema we publish and
// the documents we write cannot drift apart.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "renderers.hpp"
#include "report_samples.hpp"

namespace ptdoctor::reports {
namespace {

namespace fs = std::filesystem;

class ReportSchema : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("ptdoctor-schema-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }

  // The validator's exit code: 0 valid, 1 invalid, 2.. the validation could not run (see validate_report.py:
  // 3 is a missing python3-jsonschema, 4 a broken schema). Its messages go to the test's output.
  int validate(const std::string& json_text) {
    fs::path report = directory_ / "report.json";
    std::ofstream(report, std::ios::binary) << json_text;
    std::string command = std::string("'") + PTDOCTOR_PYTHON + "' '" + PTDOCTOR_VALIDATE_REPORT + "' '" +
                          PTDOCTOR_REPORT_SCHEMA + "' '" + report.string() + "'";
    int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  fs::path directory_;
};

TEST_F(ReportSchema, FullReportIsValid) { EXPECT_EQ(validate(render_json(testing::full_report(), {})), 0); }

TEST_F(ReportSchema, ReportWithoutFactsIsValid) {
  RenderOptions options;
  options.include_facts = false;
  EXPECT_EQ(validate(render_json(testing::full_report(), options)), 0);
}

TEST_F(ReportSchema, CausedReportIsValid) { EXPECT_EQ(validate(render_json(testing::caused_report(), {})), 0); }

TEST_F(ReportSchema, EmptyReportIsValid) { EXPECT_EQ(validate(render_json(testing::empty_report(), {})), 0); }

TEST_F(ReportSchema, HostileReportIsValid) { EXPECT_EQ(validate(render_json(testing::hostile_report(), {})), 0); }

TEST_F(ReportSchema, ReportWithoutVerdictIsRejected) {
  nlohmann::ordered_json document = nlohmann::ordered_json::parse(render_json(testing::full_report(), {}));
  ASSERT_EQ(document.erase("verdict"), 1u);
  EXPECT_EQ(validate(document.dump(2)), 1);
}

TEST_F(ReportSchema, UnknownStatusIsRejected) {
  nlohmann::ordered_json document = nlohmann::ordered_json::parse(render_json(testing::full_report(), {}));
  document["results"][0]["status"] = "maybe";
  EXPECT_EQ(validate(document.dump(2)), 1);
}

TEST_F(ReportSchema, ExitCodeMustMatchTheVerdict) {
  nlohmann::ordered_json document = nlohmann::ordered_json::parse(render_json(testing::full_report(), {}));
  document["exit_code"] = 0;  // verdict is not-ready
  EXPECT_EQ(validate(document.dump(2)), 1);
}

RunReport missing_plugin_report() {
  RunReport report = testing::empty_report();
  report.results.push_back(testing::make_result("pci.iommu-groups", Severity::kBlocker, RuleStatus::kUnknown));
  report.plugin_problems.push_back({"pci", PluginProblemKind::kMissing, "no ptdoctor-pci.so in /usr/lib/x"});
  return testing::finish(report);
}

TEST_F(ReportSchema, ReportNamingAMissingPluginIsValid) {
  RunReport report = missing_plugin_report();
  ASSERT_EQ(report.verdict, Verdict::kUnknown);
  EXPECT_EQ(validate(render_json(report, {})), 0);
}

TEST_F(ReportSchema, ReadyWithAMissingPluginIsRejected) {
  nlohmann::ordered_json document = nlohmann::ordered_json::parse(render_json(missing_plugin_report(), {}));
  document["verdict"] = "ready";
  document["exit_code"] = 0;
  EXPECT_EQ(validate(document.dump(2)), 1);
}

TEST_F(ReportSchema, UnknownPluginProblemIsRejected) {
  nlohmann::ordered_json document = nlohmann::ordered_json::parse(render_json(missing_plugin_report(), {}));
  document["plugin_problems"][0]["problem"] = "sulking";
  EXPECT_EQ(validate(document.dump(2)), 1);
}

}  // namespace
}  // namespace ptdoctor::reports
