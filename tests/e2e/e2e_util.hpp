#pragma once
// Helpers shared by the end-to-end tests.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "ptdoctor/json.hpp"

namespace ptdoctor::testing {

// Parses stdout as JSON, failing the test (not crashing) when it is not.
inline Json parse_json_output(const CliResult& result) {
  Json parsed = Json::parse(result.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(parsed.is_discarded()) << "stdout is not JSON:\n" << result.out.substr(0, 2000) << "\nstderr:\n"
                                      << result.err;
  return parsed;
}

// `ptdoctor check --format json` with the given options, parsed.
inline Json check_json(const std::vector<std::string>& options) {
  std::vector<std::string> args = {"check", "--format", "json"};
  args.insert(args.end(), options.begin(), options.end());
  return parse_json_output(run_ptdoctor(args));
}

// Results of a report for a rule id (every subject).
inline std::vector<Json> results_for(const Json& report, const std::string& rule) {
  std::vector<Json> found;
  if (!report.contains("results")) return found;
  for (const Json& result : report["results"]) {
    if (result.value("rule", "") == rule) found.push_back(result);
  }
  return found;
}

inline std::string status_of(const Json& report, const std::string& rule) {
  auto found = results_for(report, rule);
  return found.empty() ? "absent" : found.front().value("status", "");
}

// Validates a JSON document against the report schema with python3-jsonschema; "" when valid.
std::string schema_problems(const std::string& json_text);

}  // namespace ptdoctor::testing
