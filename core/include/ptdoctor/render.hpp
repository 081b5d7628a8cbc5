#pragma once
// Renderers of a run (implemented in reports/). A renderer formats a RunReport and nothing else.
#include <cstddef>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include "ptdoctor/report.hpp"
#include "ptdoctor/result.hpp"

namespace ptdoctor {

struct RenderOptions {
  bool color = false;          // ANSI colours (text): on only for a TTY without NO_COLOR
  bool unicode = true;         // ✓ ✗ ! ? markers, else ASCII
  bool verbose = false;        // text: also list passes and skips with their messages
  bool include_facts = true;   // json: embed the fact tree
  std::size_t width = 100;     // text: the columns to wrap to; 0 = no wrapping (the CLI: the terminal's width)
};

// Known formats: "text", "json", "markdown", "html". Unknown format -> kInvalidInput naming the choices.
std::vector<std::string> report_formats();
Result<std::string> render_report(const RunReport& report, std::string_view format, const RenderOptions& options);

// Writes a report into `out`: the same bytes as render_report, without the whole text in memory for JSON (written
// as it is rendered; its fact tree is most of a big host's report).
using ReportWriter = void (*)(const RunReport& report, const RenderOptions& options, std::streambuf& out);
// The writer of a format render_report knows; unknown -> kInvalidInput naming the choices.
Result<ReportWriter> report_writer(std::string_view format);

}  // namespace ptdoctor
