#include "renderers.hpp"

namespace ptdoctor {

std::vector<std::string> report_formats() { return {"text", "json", "markdown", "html"}; }

Result<std::string> render_report(const RunReport& report, std::string_view format, const RenderOptions& options) {
  if (format == "text") return reports::render_text(report, options);
  if (format == "json") return reports::render_json(report, options);
  if (format == "markdown" || format == "md") return reports::render_markdown(report, options);
  if (format == "html") return reports::render_html(report, options);
  return make_error(ErrorKind::kInvalidInput,
                    "unknown report format '" + std::string(format) + "' (choose text, json, markdown or html)");
}

}  // namespace ptdoctor
