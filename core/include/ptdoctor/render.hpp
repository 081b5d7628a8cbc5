#pragma once
// Renderers of a run (implemented in reports/). A renderer formats a RunReport and nothing else.
#include <cstddef>
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

}  // namespace ptdoctor
