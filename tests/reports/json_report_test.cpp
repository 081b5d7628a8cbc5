#include <gmock/gmock.h>
#include <cctype>
#include <gtest/gtest.h>

#include <sstream>

#include "renderers.hpp"
#include "report_outline.hpp"
#include "report_samples.hpp"

namespace ptdoctor::reports {
namespace {

using ::testing::ElementsAre;
using Ordered = nlohmann::ordered_json;

Ordered parse(const std::string& text) { return Ordered::parse(text); }  // throws on invalid or trailing text

TEST(JsonReport, IsOneDocumentEndingWithANewline) {
  std::string text = render_json(testing::full_report(), {});
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.front(), '{');
  EXPECT_NO_THROW(parse(text));
  EXPECT_NE(text.find("\n  \"schema\""), std::string::npos) << "pretty-printed with two spaces";
}

TEST(JsonReport, TopLevelKeysComeInTheDocumentedOrder) {
  Ordered document = parse(render_json(testing::full_report(), {}));
  std::vector<std::string> keys;
  for (const auto& item : document.items()) keys.push_back(item.key());
  EXPECT_THAT(keys, ElementsAre("schema", "tool", "generated_at", "host", "verdict", "verdict_reason", "exit_code",
                                "plugin_problems",
                                "summary", "causes", "results", "plugins", "diagnostics", "unknown_reasons",
                                "provenance", "facts"));
}

TEST(JsonReport, CarriesVerdictExitCodeAndSummary) {
  Ordered document = parse(render_json(testing::full_report(), {}));
  EXPECT_EQ(document["schema"], "ptdoctor-report/2");
  EXPECT_EQ(document["tool"], (Ordered{{"name", "ptdoctor"}, {"version", "0.1.0"}}));
  EXPECT_EQ(document["generated_at"], "2026-11-24T02:00:00Z");
  EXPECT_EQ(document["host"], (Ordered{{"root", "/"}, {"source", "live"}, {"hostname", "testbox"},
                                       {"kernel", "6.1.0-18-amd64"}}));
  EXPECT_EQ(document["verdict"], "not-ready");
  EXPECT_EQ(document["exit_code"], 2);
  EXPECT_EQ(document["summary"]["total"], 24);
  EXPECT_EQ(document["summary"]["pass"], 9);
  EXPECT_EQ(document["summary"]["fail"], 6);
  EXPECT_EQ(document["summary"]["blockers_failed"], 2);
  EXPECT_EQ(document["summary"]["warnings_failed"], 3);
  EXPECT_EQ(document["summary"]["unknown"], 3);
  EXPECT_EQ(document["summary"]["error"], 3);
  EXPECT_EQ(document["summary"]["skip"], 3);
}

TEST(JsonReport, ResultsKeepEveryField) {
  Ordered document = parse(render_json(testing::full_report(), {}));
  ASSERT_EQ(document["results"].size(), 24u);
  const Ordered& fail = document["results"][1];
  EXPECT_EQ(fail["rule"], "cpu.blocker-fail");
  EXPECT_EQ(fail["title"], "Title of cpu.blocker-fail");
  EXPECT_EQ(fail["severity"], "blocker");
  EXPECT_EQ(fail["status"], "fail");
  EXPECT_TRUE(fail["subject"].is_null()) << "host-wide results have a null subject";
  EXPECT_EQ(fail["message"], "cpu.blocker-fail is fail (blocker)");
  EXPECT_EQ(fail["why"], "Why cpu.blocker-fail matters");
  ASSERT_EQ(fail["fixes"].size(), 2u);
  EXPECT_EQ(fail["fixes"][0], (Ordered{{"text", "Fix cpu.blocker-fail by hand"}})) << "no action key without one";
  EXPECT_EQ(fail["fixes"][1]["action"]["generator"], "grub-cmdline");
  EXPECT_EQ(fail["refs"], (Ordered{"REFERENCE.md section 4"}));
  EXPECT_EQ(fail["facts"], (Ordered{{"cpu.blocker-fail.fact", true}}));
  EXPECT_EQ(fail["source"], "rules/test.yaml:1");
  std::vector<std::string> statuses;
  for (const Ordered& result : document["results"]) statuses.push_back(result["status"]);
  EXPECT_THAT(statuses, ::testing::IsSupersetOf({"pass", "fail", "skip", "unknown", "error"}));
  EXPECT_EQ(document["results"][16]["subject"], "0000:08:00.0");
}

TEST(JsonReport, PluginsDiagnosticsAndFactTables) {
  Ordered document = parse(render_json(testing::full_report(), {}));
  ASSERT_EQ(document["plugins"].size(), 2u);
  EXPECT_EQ(document["plugins"][0]["ok"], true);
  EXPECT_TRUE(document["plugins"][0]["error"].is_null());
  EXPECT_EQ(document["plugins"][1]["ok"], false);
  EXPECT_EQ(document["plugins"][1]["error"],
            "ptdoctor-acpi.so: ABI 1 but this ptdoctor speaks ABI 2; reinstall ptdoctor");
  ASSERT_EQ(document["diagnostics"].size(), 3u);
  EXPECT_EQ(document["diagnostics"][0],
            (Ordered{{"level", "error"}, {"origin", "acpi"},
                     {"message", "/sys/firmware/acpi/tables/DMAR: offset 0x30: zero-length subtable"}}));
  EXPECT_EQ(document["unknown_reasons"]["cpu.msr"], "not root: /dev/cpu/0/msr needs root");
  EXPECT_EQ(document["provenance"]["cpu.vmx"], "cpuid leaf 0x1 ecx bit 5");
  EXPECT_EQ(document["facts"]["cpu"]["vmx"], true);
}

TEST(JsonReport, FactTreeOnlyWhenAsked) {
  RenderOptions options;
  options.include_facts = false;
  Ordered document = parse(render_json(testing::full_report(), options));
  EXPECT_FALSE(document.contains("facts"));
  EXPECT_TRUE(document["results"][1].contains("facts")) << "a result's own facts stay";
}

// Finding 29 of the UX review: a script that reads `.verdict` and a person who reads the text must see the same
// word: the text headline in lower case, spaces as dashes.
TEST(JsonReport, VerdictNameIsTheTextHeadline) {
  for (Verdict verdict : {Verdict::kReady, Verdict::kWarnings, Verdict::kNotReady, Verdict::kUnknown}) {
    std::string headline = verdict_headline(verdict);
    for (char& c : headline) c = c == ' ' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    RunReport report = testing::empty_report();
    report.verdict = verdict;
    EXPECT_EQ(parse(render_json(report, {}))["verdict"], headline);
  }
}

TEST(JsonReport, EmptyReportIsCannotJudge) {
  Ordered document = parse(render_json(testing::empty_report(), {}));
  EXPECT_EQ(document["verdict"], "cannot-judge");
  EXPECT_EQ(document["exit_code"], 3);
  EXPECT_EQ(document["results"], Ordered::array());
  EXPECT_EQ(document["plugins"], Ordered::array());
  EXPECT_TRUE(document["host"]["hostname"].is_null());
  EXPECT_EQ(document["host"]["source"], "root");
}

TEST(JsonReport, HostileStringsStayValidJson) {
  std::string text = render_json(testing::hostile_report(), {});
  Ordered document;
  ASSERT_NO_THROW(document = parse(text));
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << "control characters are escaped";
  EXPECT_NE(text.find("\\u001b[31mred"), std::string::npos);
  std::string message = document["results"][0]["message"];
  EXPECT_NE(message.find("<script>alert(1)</script>"), std::string::npos) << "JSON keeps the text as it was";
  EXPECT_NE(message.find("\xEF\xBF\xBD"), std::string::npos) << "invalid bytes become U+FFFD";
  EXPECT_EQ(message.find('\xff'), std::string::npos);
}

// The report is written member by member (JsonWriter), not dumped from a tree: its layout must still be nlohmann's
// dump(2) of the same document, so that reading and re-printing it changes no byte.
TEST(JsonReport, IsLaidOutAsDumpLaysItOut) {
  for (const RunReport& report : {testing::full_report(), testing::caused_report(), testing::empty_report(),
                                  testing::hostile_report()}) {
    const std::string text = render_json(report, {});
    EXPECT_EQ(text, parse(text).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  }
}

// Facts carry bytes straight from host files. Whatever they hold, each value and key prints as nlohmann's dump()
// with error_handler_t::replace prints it: control characters escaped, invalid UTF-8 as U+FFFD.
TEST(JsonReport, OddBytesInFactsPrintAsDumpPrintsThem) {
  std::string controls;
  for (int c = 0; c < 0x20; ++c) controls += static_cast<char>(c);
  const Json odd = {{"controls", controls},
                    {"invalid", testing::kHostileBytes},
                    {"cut \xe2\x82 short", "overlong \xc0\xaf, surrogate \xed\xa0\x80, \xf4\x90\x80\x80"},
                    {"list", {controls, "\x80", 1.5, -3, nullptr}}};
  RunReport report = testing::full_report();
  report.set_facts({{"pci", {{"devices", Json::array({odd, odd})}}}, {"odd", odd}});
  report.results[0].facts = ResultFacts(Json{{"pci.devices[0]", odd}});
  const std::string text = render_json(report, {});
  const auto replace = nlohmann::json::error_handler_t::replace;
  // Each tree as dump() prints it at its depth: the facts section two spaces in, a result's evidence six.
  std::string facts_section = report.facts().dump(2, ' ', false, replace);
  std::string evidence = report.results[0].facts.to_json().dump(2, ' ', false, replace);
  auto indented = [](std::string tree, const std::string& by) {
    for (std::size_t at = tree.find('\n'); at != std::string::npos; at = tree.find('\n', at + 1)) {
      tree.insert(at + 1, by);
    }
    return tree;
  };
  EXPECT_NE(text.find("\n  \"facts\": " + indented(facts_section, "  ") + "\n}\n"), std::string::npos);
  EXPECT_NE(text.find("\n      \"facts\": " + indented(evidence, "      ") + ",\n"), std::string::npos);
  EXPECT_EQ(text.find('\xff'), std::string::npos);
}

TEST(JsonReport, WrittenIntoABufferIsTheRenderedText) {
  for (bool include_facts : {true, false}) {
    RenderOptions options;
    options.include_facts = include_facts;
    std::stringbuf buffer;
    write_json(testing::caused_report(), options, buffer);
    EXPECT_EQ(buffer.str(), render_json(testing::caused_report(), options));
  }
}

}  // namespace
}  // namespace ptdoctor::reports
