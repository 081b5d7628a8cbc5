#pragma once
// Escaping of untrusted text for Markdown (CommonMark + GitHub tables): whatever a message holds, the report
// keeps its structure (no broken table rows, no live HTML, no stray code spans or emphasis).
#include <string>
#include <string_view>

namespace ptdoctor::reports {

// Inline text: cleaned (valid UTF-8, no control characters), line breaks folded into spaces, `&`, `<`, `>` as
// entities, and the inline Markdown punctuation (\ ` * _ [ ] | ~ $ and a leading # + - =) backslash-escaped.
std::string markdown_inline(std::string_view untrusted);

// `text` as a code span when it is plain enough to be one (no backtick, pipe or line break), else as escaped
// inline text: a rule id or a BDF stays monospace, a hostile one stays harmless.
std::string markdown_code(std::string_view untrusted);

}  // namespace ptdoctor::reports
