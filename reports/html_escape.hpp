#pragma once
// Escaping of untrusted text for HTML and SVG: whatever a message or a device name holds, it stays text.
#include <string>
#include <string_view>

namespace ptdoctor::reports {

// clean_line, then & < > " ' as character references: safe in element content and in quoted attributes.
std::string html_text(std::string_view untrusted);
// Multi-line text: clean_text, escaped as html_text, line breaks kept (for <pre> or white-space: pre-line).
std::string html_block(std::string_view untrusted);
// Rule prose (messages, why, fixes): html_block, with each `backtick span` as <code> — the spans are the commands,
// parameters and file lines to copy, the rest is sentences. An unpaired backtick stays a backtick.
std::string html_prose(std::string_view untrusted);
// A reference as a link when it is an http(s) URL (never another scheme: a rule file could hold javascript:),
// else as text.
std::string html_reference(std::string_view untrusted);

}  // namespace ptdoctor::reports
