#pragma once
// One function per report format; render.cpp dispatches by name.
#include <streambuf>
#include <string>

#include "ptdoctor/render.hpp"

namespace ptdoctor::reports {

std::string render_text(const RunReport& report, const RenderOptions& options);
std::string render_json(const RunReport& report, const RenderOptions& options);
std::string render_markdown(const RunReport& report, const RenderOptions& options);
std::string render_html(const RunReport& report, const RenderOptions& options);

// render_json's bytes written into `out` as they are rendered, never held whole.
void write_json(const RunReport& report, const RenderOptions& options, std::streambuf& out);

}  // namespace ptdoctor::reports
