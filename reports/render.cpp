#include <sstream>
#include <utility>

#include "renderers.hpp"

namespace ptdoctor {
namespace {

using RenderToString = std::string (*)(const RunReport&, const RenderOptions&);

template <RenderToString render>
void write_rendered(const RunReport& report, const RenderOptions& options, std::streambuf& out) {
  const std::string text = render(report, options);
  out.sputn(text.data(), static_cast<std::streamsize>(text.size()));
}

}  // namespace

std::vector<std::string> report_formats() { return {"text", "json", "markdown", "html"}; }

Result<ReportWriter> report_writer(std::string_view format) {
  if (format == "text") return &write_rendered<reports::render_text>;
  // JSON carries the fact tree, most of a big host's report: written as it is rendered.
  if (format == "json") return &reports::write_json;
  if (format == "markdown" || format == "md") return &write_rendered<reports::render_markdown>;
  if (format == "html") return &write_rendered<reports::render_html>;
  return make_error(ErrorKind::kInvalidInput,
                    "unknown report format '" + std::string(format) + "' (choose text, json, markdown or html)");
}

Result<std::string> render_report(const RunReport& report, std::string_view format, const RenderOptions& options) {
  auto writer = report_writer(format);
  if (!writer) return writer.error();
  std::stringbuf text;
  (*writer)(report, options, text);
  return std::move(text).str();
}

}  // namespace ptdoctor
