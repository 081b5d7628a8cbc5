#pragma once
// Escaping of untrusted text for Markdown (CommonMark + GitHub tables): whatever a message holds, the report
// keeps its structure (no broken table rows, no live HTML, no stray code spans or emphasis).
#include <string>
#include <string_view>

namespace ptdoctor::reports {

// Inline text: cleaned (valid UTF-8, no control characters), line breaks folded into spaces, `&`, `<`, `>` as
// entities, and the inline Markdown punctuation (\ ` * _ [ ] | ~ $ and a leading # + - =) backslash-escaped.
std::string markdown_inline(std::string_view untrusted);

// Text written by a rule (message, why, fix, the report's own sentences): each `code span` in it (a command, a
// kernel parameter, a config line) stays a code span, so it renders as code and copies exactly as typed; the text
// around it is escaped as markdown_inline. In a table cell (`table_cell`) a | inside a span is written \|, which
// GitHub's table parser reads back as |; elsewhere it stays |.
std::string markdown_text(std::string_view untrusted, bool table_cell = false);

// `text` as a code span when it is plain enough to be one (no backtick, pipe or line break), else as escaped
// inline text: a rule id or a BDF stays monospace, a hostile one stays harmless.
std::string markdown_code(std::string_view untrusted);

}  // namespace ptdoctor::reports
