// The Markdown report of every fixture host rendered by cmark-gfm, GitHub's CommonMark, with GitHub's table and
// autolink extensions: every `command` a rule prints comes out as <code> (so it renders as code and copies as
// typed), and no backtick is left as a literal character (an escaped \` renders as text, not as code).
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "ptdoctor/json.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> fixture_hosts() {
  std::vector<std::string> hosts;
  for (const auto& entry : fs::directory_iterator(fs::path(fixture_host("x")).parent_path())) {
    if (entry.is_directory()) hosts.push_back(entry.path().filename().string());
  }
  std::sort(hosts.begin(), hosts.end());
  return hosts;
}

// cmark-gfm's HTML for a Markdown file; "" and a test failure when it cannot run.
std::string render_with_cmark(const std::string& markdown_file) {
  std::string command = "cmark-gfm -e table -e autolink '" + markdown_file + "'";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return "";
  }
  std::string html;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) html.append(buffer, n);
  int status = ::pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << command << " failed: is cmark-gfm installed (.ci/setup installs it)?";
  return html;
}

// As cmark-gfm writes text inside <code>.
std::string html_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// The contents of every `code span` in a rule's text.
std::vector<std::string> code_spans(const std::string& text) {
  std::vector<std::string> spans;
  for (std::size_t open = text.find('`'); open != std::string::npos; open = text.find('`', open + 1)) {
    std::size_t close = text.find('`', open + 1);
    if (close == std::string::npos) break;
    if (close > open + 1) spans.push_back(text.substr(open + 1, close - open - 1));
    open = close;
  }
  return spans;
}

// The HTML with every <code>...</code> element removed.
std::string outside_code(const std::string& html) {
  return std::regex_replace(html, std::regex("<code>[^<]*</code>"), "<code/>");
}

class MarkdownOnGitHub : public ::testing::TestWithParam<std::string> {};

// Renders the host's Markdown report (compact, or with --all) with cmark-gfm and checks that every command in what
// that report shows of a result comes out as <code>: its message (--all: of every result; compact: of the problems
// that are not consequences) and, for a problem that is not a consequence, its fixes (and with --all its why).
void expect_commands_render_as_code(const std::string& root, bool all) {
  std::vector<std::string> args = {"check", "--root", root, "--format", "markdown"};
  if (all) args.push_back("--all");
  CliResult markdown = run_ptdoctor(args);
  ASSERT_TRUE(markdown.exit_code >= 0 && markdown.exit_code <= 3) << markdown.err;
  EXPECT_EQ(markdown.out.find("\\`"), std::string::npos) << "an escaped backtick renders as text, not as code";
  TempTree dir;
  const std::string file = dir.path() + "/report.md";
  std::ofstream(file, std::ios::binary) << markdown.out;
  const std::string html = render_with_cmark(file);
  ASSERT_FALSE(html.empty());

  std::string rest = outside_code(html);
  std::size_t stray = rest.find('`');
  EXPECT_EQ(stray, std::string::npos) << "a literal backtick in the rendered report: ..."
                                      << rest.substr(stray == std::string::npos ? 0 : stray - std::min<std::size_t>(stray, 120), 240);

  Json report = Json::parse(run_ptdoctor({"check", "--root", root, "--format", "json"}).out, nullptr, false);
  ASSERT_FALSE(report.is_discarded());
  std::set<std::string> expected;
  for (const Json& result : report["results"]) {
    const std::string status = result.value("status", "");
    bool shown_problem = status != "pass" && status != "skip" && result["caused_by"].is_null();
    if (all || shown_problem) {
      for (const std::string& span : code_spans(result.value("message", ""))) expected.insert(span);
    }
    if (!shown_problem) continue;
    if (all) {
      for (const std::string& span : code_spans(result.value("why", ""))) expected.insert(span);
    }
    for (const Json& fix : result["fixes"]) {
      for (const std::string& span : code_spans(fix.value("text", ""))) expected.insert(span);
    }
  }
  for (const std::string& span : expected) {
    EXPECT_NE(html.find("<code>" + html_escaped(span) + "</code>"), std::string::npos)
        << "`" << span << "` is not rendered as code" << (all ? " (--all)" : " (compact)");
  }
}

TEST_P(MarkdownOnGitHub, CommandsRenderAsCodeAndNoBacktickIsLeftLiteral) {
  expect_commands_render_as_code(fixture_host(GetParam()), false);
  expect_commands_render_as_code(fixture_host(GetParam()), true);
}

// The default Markdown report is for pasting into a forum post: it must fit Discourse's default limit of 32,000
// characters (max_post_length) on every fixture host, the damaged `broken` tree and the 164-result hosts included.
TEST_P(MarkdownOnGitHub, TheDefaultReportFitsAForumPost) {
  CliResult markdown = run_ptdoctor({"check", "--root", fixture_host(GetParam()), "--format", "markdown"});
  ASSERT_TRUE(markdown.exit_code >= 0 && markdown.exit_code <= 3) << markdown.err;
  std::size_t characters = 0;
  for (char c : markdown.out) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  EXPECT_LE(characters, 32000u);
}

INSTANTIATE_TEST_SUITE_P(FixtureHosts, MarkdownOnGitHub, ::testing::ValuesIn(fixture_hosts()),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

}  // namespace
}  // namespace ptdoctor::testing
