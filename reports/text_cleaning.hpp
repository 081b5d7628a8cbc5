#pragma once
// Makes untrusted strings (messages, host names, plugin errors) safe to put on a terminal or into Markdown:
// valid UTF-8 only, no control or bidi-override characters, and a width for column alignment.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor::reports {

// Replaces each invalid UTF-8 sequence and each control character (C0 except '\n', DEL, C1) and each bidi
// override/isolate with U+FFFD; a tab becomes a space. Terminal escape sequences in a message from a host file
// must never reach the terminal as escapes.
std::string clean_text(std::string_view text);

// clean_text, then every line break (and run of blanks around it) folded into one space: for single-line slots.
std::string clean_line(std::string_view text);

// Columns a cleaned string takes on a terminal, counted as code points (no East Asian wide-character table:
// messages are ASCII in practice, and an over-wide line only misaligns, it never hides text).
std::size_t display_width(std::string_view cleaned);

// Word-wraps cleaned text to `width` columns. Existing line breaks are kept; a word longer than the width (a URL,
// a path) and a `code span` (a command: never split, even when longer than the width) get a line of their own
// rather than being cut. Never returns an empty vector.
std::vector<std::string> wrap_words(std::string_view cleaned, std::size_t width);

// Untrusted text as lines of at most `width` columns (0: no wrapping), the first starting with `first` and the
// rest with `hanging` (usually spaces as wide as `first`), each ending in '\n'; cleaned and wrapped as wrap_words,
// so a `code span` is never split. At least 30 columns are left for the words, however deep the indent.
std::string wrap_paragraph(std::string_view untrusted, std::size_t width, std::string_view first,
                           std::string_view hanging);

}  // namespace ptdoctor::reports
