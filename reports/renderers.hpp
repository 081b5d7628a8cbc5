#pragma once
// One function per report format; render.cpp dispatches by name.
#include <string>

#include "ptdoctor/render.hpp"

namespace ptdoctor::reports {

std::string render_text(const RunReport& report, const RenderOptions& options);
std::string render_json(const RunReport& report, const RenderOptions& options);
std::string render_markdown(const RunReport& report, const RenderOptions& options);
std::string render_html(const RunReport& report, const RenderOptions& options);

}  // namespace ptdoctor::reports
