#pragma once
// How output looks on the stream it goes to: colour (--color=auto|always|never, NO_COLOR, TERM=dumb) and the width
// text is wrapped to (the terminal's, COLUMNS, or none). One place decides both for stdout and stderr alike.
#include <cstddef>
#include <optional>
#include <string>

namespace ptdoctor::cli {

enum class ColorWhen { kAuto, kAlways, kNever };

// "auto", "always", "never" (as --color takes them); nullopt for anything else.
std::optional<ColorWhen> color_when_from(const std::string& word);

// Colour on the stream `fd`: always and never as chosen (an explicit option beats the environment, as no-color.org
// asks); auto colours only a terminal, and never with NO_COLOR set to anything non-empty (https://no-color.org) or
// TERM=dumb (a terminal that cannot show escape sequences, such as Emacs' shell buffer).
bool color_on(ColorWhen when, int fd);

// The narrowest width text is wrapped to: below it, a hanging indent leaves no room for words.
inline constexpr std::size_t kMinimumWidth = 40;

// The columns to wrap text for stdout to; 0 means do not wrap. COLUMNS (a positive number) wins wherever the text
// goes, as for git and systemd; else a terminal's width (TIOCGWINSZ); else, for a pipe, a redirect or -o FILE,
// no wrapping (the reader's pager or editor wraps to its own width). A width below kMinimumWidth is raised to it.
std::size_t wrap_width(bool to_terminal);

}  // namespace ptdoctor::cli
