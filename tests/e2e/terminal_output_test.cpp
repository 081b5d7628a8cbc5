// End to end: colour (--color=auto|always|never, --no-color, NO_COLOR, TERM=dumb) on stdout and on stderr, and the
// width the text report is wrapped to (the terminal's, COLUMNS, none when piped; never inside a `command`).
// script(1) of util-linux gives the binary a terminal; stty sets that terminal's width.
#include <algorithm>

#include <gtest/gtest.h>

#include "e2e_util.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

constexpr const char* kEsc = "\x1b[";

struct Terminal {
  std::string out;  // what the terminal showed: stdout and stderr together
};

// Runs `ptdoctor ARGS` on a terminal `columns` wide, with `env` ("NAME=value ...") set.
Terminal on_terminal(const std::string& args, const std::string& env = "", int columns = 200) {
  // script(1) exports COLUMNS to its child: take it away, so the width comes from the terminal unless `env` sets it.
  std::string inner = "stty cols " + std::to_string(columns) + " rows 50; env -u COLUMNS TERM=xterm " + env + " " +
                      std::string(PTDOCTOR_BIN) + " " + args;
  std::string command = "script -qefc '" + inner + "' /dev/null";
  return {run_ptdoctor({"-c", command}, {}, {}, "sh").out};
}

// A command that fails with a message on stderr: --root of a directory that does not exist (exit 66).
const std::string kFailing = "check --root /nonexistent-ptdoctor-root";

std::string host_check() { return "check --root " + fixture_host("intel-modern"); }

TEST(Colour, AutoColoursATerminalOnStdoutAndStderr) {
  EXPECT_NE(on_terminal(host_check()).out.find(kEsc), std::string::npos);
  EXPECT_NE(on_terminal(kFailing).out.find(kEsc), std::string::npos);
}

TEST(Colour, NoColorTermDumbAndNeverAreHonouredOnStdoutAndStderr) {
  for (const std::string& way : {std::string("NO_COLOR=1|"), std::string("TERM=dumb|"),
                                  std::string("|--color=never "), std::string("|--color never "),
                                  std::string("|--no-color ")}) {
    const std::string env = way.substr(0, way.find('|'));
    const std::string flag = way.substr(way.find('|') + 1);
    EXPECT_EQ(on_terminal(flag + host_check(), env).out.find(kEsc), std::string::npos) << way;
    EXPECT_EQ(on_terminal(flag + kFailing, env).out.find(kEsc), std::string::npos) << way;
    // After the command too, where the other common options go.
    EXPECT_EQ(on_terminal(kFailing + " " + flag, env).out.find(kEsc), std::string::npos) << way;
  }
}

TEST(Colour, AlwaysColoursAPipeAndBeatsNoColor) {
  CliResult report = run_ptdoctor({"check", "--root", fixture_host("intel-modern"), "--color=always"}, {"NO_COLOR=1"});
  EXPECT_NE(report.out.find(kEsc), std::string::npos);
  CliResult failed = run_ptdoctor({"--color", "always", "check", "--root", "/nonexistent-ptdoctor-root"});
  EXPECT_EQ(failed.exit_code, 66);
  EXPECT_NE(failed.err.find(kEsc), std::string::npos) << failed.err;
}

TEST(Colour, AutoNeverColoursAPipe) {
  CliResult report = run_ptdoctor({"check", "--root", fixture_host("intel-modern")});
  EXPECT_EQ(report.out.find(kEsc), std::string::npos);
  CliResult failed = run_ptdoctor({"check", "--root", "/nonexistent-ptdoctor-root"});
  EXPECT_EQ(failed.err.find(kEsc), std::string::npos);
}

TEST(Colour, UnknownWhenIsAUsageError) {
  CliResult run = run_ptdoctor({"check", "--color=sometimes", "--root", fixture_host("empty")});
  EXPECT_EQ(run.exit_code, 64);
  EXPECT_NE(run.err.find("--color"), std::string::npos) << run.err;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();  // the terminal's CR LF
    lines.push_back(line);
  }
  return lines;
}

// Columns a line takes (UTF-8 code points; escape sequences count none).
std::size_t columns_of(const std::string& line) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\x1b') {
      i = line.find('m', i);
      if (i == std::string::npos) break;
      continue;
    }
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++width;
  }
  return width;
}

// A line over the width is allowed only when it cannot be broken: its longest unit (a word, or a whole `code span`)
// stands alone after the line's head (indent, marker, rule id or label: at most kHead columns).
constexpr std::size_t kHead = 50;

bool unbreakable(const std::string& line) {
  std::size_t longest = 0;
  for (std::size_t at = 0; at < line.size();) {
    if (line[at] == ' ') {
      ++at;
      continue;
    }
    std::size_t end = line.find(' ', at);
    if (end == std::string::npos) end = line.size();
    if (std::count(line.begin() + at, line.begin() + end, '`') % 2 == 1) {
      std::size_t close = line.find('`', end);
      if (close != std::string::npos) end = std::min(line.size(), line.find(' ', close));
    }
    longest = std::max(longest, columns_of(line.substr(at, end - at)));
    at = end;
  }
  return columns_of(line) <= longest + kHead;
}

void expect_wrapped_to(const std::vector<std::string>& lines, std::size_t width) {
  ASSERT_GT(lines.size(), 10u);
  for (const std::string& line : lines) {
    if (columns_of(line) > width) {
      EXPECT_TRUE(unbreakable(line)) << "over " << width << ": " << line;
    }
    // A command is never split: every line holds whole `code spans`.
    std::size_t ticks = std::count(line.begin(), line.end(), '`');
    EXPECT_EQ(ticks % 2, 0u) << "a `code span` split across lines: " << line;
  }
}

TEST(Wrapping, ToTheTerminalsWidth) {
  for (int columns : {60, 132}) {
    std::vector<std::string> lines = lines_of(on_terminal("--no-color " + host_check(), "", columns).out);
    expect_wrapped_to(lines, columns);
    std::size_t widest = 0;
    for (const std::string& line : lines) {
      if (!unbreakable(line)) widest = std::max(widest, columns_of(line));
    }
    EXPECT_GT(widest, static_cast<std::size_t>(columns) * 3 / 4) << "the width is not used";
  }
}

TEST(Wrapping, ColumnsWinsOverTheTerminalAndAppliesToAPipe) {
  expect_wrapped_to(lines_of(on_terminal("--no-color " + host_check(), "COLUMNS=70", 150).out), 70);
  CliResult piped = run_ptdoctor({"check", "--root", fixture_host("intel-modern")}, {"COLUMNS=80"});
  expect_wrapped_to(lines_of(piped.out), 80);
}

TEST(Wrapping, NoneWhenPipedOrWrittenToAFile) {
  CliResult piped = run_ptdoctor({"check", "--root", fixture_host("intel-modern")}, {"COLUMNS="});
  std::size_t widest = 0;
  for (const std::string& line : lines_of(piped.out)) widest = std::max(widest, columns_of(line));
  EXPECT_GT(widest, 160u) << "a piped report is not wrapped: the pager or editor wraps it";
  expect_wrapped_to(lines_of(piped.out), 100000);
}

// explain wraps its paragraphs like check (UX review: it printed each why and fix on one long line), with the same
// width rules: COLUMNS, else the terminal's, never inside a `command`.
TEST(Wrapping, ExplainWrapsLikeCheck) {
  for (const char* rule : {"xen.iommu-enabled", "kernel.pciback-loaded", "usb.rmrr-shared"}) {
    CliResult piped = run_ptdoctor({"explain", rule}, {"COLUMNS=60"});
    ASSERT_EQ(piped.exit_code, 0) << piped.err;
    expect_wrapped_to(lines_of(piped.out), 60);
  }
  expect_wrapped_to(lines_of(on_terminal("--no-color explain xen.iommu-enabled", "", 70).out), 70);
  // Piped without COLUMNS: whole lines, for the pager to wrap.
  CliResult whole = run_ptdoctor({"explain", "xen.iommu-enabled"}, {"COLUMNS="});
  std::size_t widest = 0;
  for (const std::string& line : lines_of(whole.out)) widest = std::max(widest, columns_of(line));
  EXPECT_GT(widest, 200u);
}

// COLUMNS=10 would leave no room for words: it is read as the 40-column minimum.
TEST(Wrapping, NeverNarrowerThanTheMinimum) {
  CliResult narrow = run_ptdoctor({"check", "--root", fixture_host("intel-modern")}, {"COLUMNS=10"});
  CliResult floor = run_ptdoctor({"check", "--root", fixture_host("intel-modern")}, {"COLUMNS=40"});
  CliResult wider = run_ptdoctor({"check", "--root", fixture_host("intel-modern")}, {"COLUMNS=41"});
  auto without_time = [](const std::string& text) {
    std::string out;
    for (const std::string& line : lines_of(text)) {
      if (line.rfind("Checked: ", 0) != 0) out += line + "\n";
    }
    return out;
  };
  EXPECT_EQ(without_time(narrow.out), without_time(floor.out));
  EXPECT_NE(without_time(floor.out), without_time(wider.out));
}

}  // namespace
}  // namespace ptdoctor::testing
